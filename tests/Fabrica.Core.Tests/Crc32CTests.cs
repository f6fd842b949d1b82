using Fabrica.IO;

namespace Fabrica.Core.Tests;

public sealed class Crc32CTests
{
    [Fact]
    public void Crc32C_matches_the_standard_check_value_and_chains()
    {
        // RFC 3720 / the CRC catalogue: CRC-32C("123456789") = 0xE3069283.
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(Crc32C.Compute("123456789"u8), Crc32C.Append(Crc32C.Compute("1234"u8), "56789"u8));
        Assert.Equal(Crc32C.Compute("123456789"u8), Crc32C.Append(Crc32C.Compute("12345678"u8), "9"u8));
    }
}
