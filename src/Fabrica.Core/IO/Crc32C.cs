using System.Buffers.Binary;
using System.Numerics;

namespace Fabrica.IO;

/// <summary>
/// CRC-32C (Castagnoli, RFC 3720 §B.4), the checksum of every WAL record and block file.
/// <see cref="BitOperations.Crc32C(uint, ulong)"/> uses the SSE4.2 / ARMv8 CRC instruction when present, so
/// checking every record and chunk on every read stays cheap.
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues a checksum; <c>Append(Append(0, a), b) == Compute(a ++ b)</c>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var state = ~crc;
        while (data.Length >= 8)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data)
            state = BitOperations.Crc32C(state, b);
        return ~state;
    }
}
