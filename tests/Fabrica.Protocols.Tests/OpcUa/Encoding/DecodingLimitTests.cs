using Fabrica.Protocols.OpcUa;

namespace Fabrica.Protocols.Tests.OpcUa.Encoding;

/// <summary>Hostile input (CVE classes of other stacks: deep nesting, huge lengths) ends in typed errors with bounded memory.</summary>
public sealed class DecodingLimitTests
{
    private static OpcUaServiceException Decode(byte[] bytes, OpcUaEncodingLimits? limits = null) =>
        Assert.Throws<OpcUaServiceException>(() =>
        {
            var reader = new OpcUaBinaryReader(bytes, limits);
            reader.ReadVariant();
        });

    [Fact]
    public void Variants_nested_beyond_the_depth_limit_are_rejected_without_recursing_further()
    {
        // Variant[1] of Variant[1] of … 100 000 levels: 5 bytes per level.
        var bytes = new List<byte>();
        for (var i = 0; i < 100_000; i++)
        {
            bytes.AddRange([0x80 | 24, 1, 0, 0, 0]);
        }
        bytes.Add(0);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Decode([.. bytes]);

        Assert.Equal(StatusCodes.BadEncodingLimitsExceeded, error.StatusCode);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void Data_values_nested_in_variants_beyond_the_depth_limit_are_rejected()
    {
        // Variant(DataValue(Variant(DataValue(…)))): 2 bytes per level.
        var bytes = Enumerable.Repeat(new byte[] { 23, 0x01 }, 10_000).SelectMany(b => b).Append((byte)0).ToArray();

        Assert.Equal(StatusCodes.BadEncodingLimitsExceeded, Decode(bytes).StatusCode);
    }

    [Fact]
    public void Diagnostic_infos_nested_beyond_the_depth_limit_are_rejected()
    {
        var bytes = new byte[] { 25 }.Concat(Enumerable.Repeat((byte)0x40, 10_000)).Append((byte)0).ToArray();

        Assert.Equal(StatusCodes.BadEncodingLimitsExceeded, Decode(bytes).StatusCode);
    }

    [Theory]
    [InlineData(new byte[] { 0x80 | 6, 0xFF, 0xFF, 0xFF, 0x7F })]        // Int32[int.MaxValue]
    [InlineData(new byte[] { 0x80 | 12, 0x00, 0x00, 0x00, 0x40, 0, 0 })] // String[1 G]
    public void Array_lengths_beyond_the_limit_are_rejected_before_allocation(byte[] bytes)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Decode(bytes);

        Assert.Equal(StatusCodes.BadEncodingLimitsExceeded, error.StatusCode);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    [Fact]
    public void Lengths_within_the_limit_but_beyond_the_message_are_rejected_before_allocation()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Decode([0x80 | 11, 0x00, 0x00, 0x08, 0x00, 1, 2, 3], new OpcUaEncodingLimits { MaxArrayLength = int.MaxValue });
        var stringError = Decode([12, 0x00, 0x00, 0x08, 0x00, (byte)'a']);

        Assert.Equal(StatusCodes.BadDecodingError, error.StatusCode);
        Assert.Equal(StatusCodes.BadDecodingError, stringError.StatusCode);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    [Fact]
    public void Strings_beyond_the_limit_are_rejected()
    {
        var bytes = new byte[] { 12, 0x00, 0x01, 0x00, 0x00 }.Concat(new byte[256]).ToArray();

        Assert.Equal(StatusCodes.BadEncodingLimitsExceeded, Decode(bytes, new OpcUaEncodingLimits { MaxStringLength = 100 }).StatusCode);
    }

    [Fact]
    public void A_matrix_with_more_dimensions_than_the_limit_is_rejected_before_its_dimensions_are_allocated()
    {
        // Int32[1] { 7 }, then 1 000 000 dimensions announced.
        byte[] bytes = [0x80 | 0x40 | 6, 1, 0, 0, 0, 7, 0, 0, 0, 0x40, 0x42, 0x0F, 0x00];
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Decode(bytes);

        Assert.Equal(StatusCodes.BadEncodingLimitsExceeded, error.StatusCode);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    [Fact]
    public void Byte_strings_and_extension_object_bodies_beyond_the_limit_are_rejected_before_allocation()
    {
        var limits = new OpcUaEncodingLimits { MaxByteStringLength = 1000 };
        byte[] byteString = [15, 0x00, 0x00, 0x10, 0x00, .. new byte[2000]];                 // ByteString of 1 MiB announced
        byte[] extensionObject = [22, 0x01, 0x00, 0x10, 0x01, 0x01, 0xE9, 0x03, 0x00, 0x00, .. new byte[1001]]; // ns=0;i=272, binary body of 1001 bytes
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(StatusCodes.BadEncodingLimitsExceeded, Decode(byteString, limits).StatusCode);
        Assert.Equal(StatusCodes.BadEncodingLimitsExceeded, Decode(extensionObject, limits).StatusCode);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    [Theory]
    [InlineData(new byte[] { 26 })]                                   // built-in type 26 does not exist
    [InlineData(new byte[] { 0x40 | 6, 1, 0, 0, 0 })]                 // dimensions on a scalar
    [InlineData(new byte[] { 24, 0 })]                                // scalar Variant in a Variant
    [InlineData(new byte[] { 0x80 | 0x40 | 6, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0 })] // 2 elements, 2x2 matrix
    [InlineData(new byte[] { 17, 0x07 })]                             // NodeId encoding 7
    [InlineData(new byte[] { 6, 1, 2 })]                              // Int32 cut short
    public void Malformed_variants_give_bad_decoding_error(byte[] bytes) =>
        Assert.Equal(StatusCodes.BadDecodingError, Decode(bytes).StatusCode);
}
