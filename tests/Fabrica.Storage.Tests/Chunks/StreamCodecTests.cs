using CsCheck;
using Fabrica.Storage.Chunks;

namespace Fabrica.Storage.Tests.Chunks;

public sealed class StreamCodecTests
{
    [Fact]
    public void Bit_fields_of_every_width_round_trip() =>
        Gen.Select(Gen.ULong, Gen.Int[0, 64]).Array[0, 200].Sample(fields =>
        {
            var buffer = new byte[(fields.Length * 8) + 8];
            var writer = new BitWriter(buffer);
            foreach ((ulong value, int width) in fields)
            {
                writer.Write(value, width);
            }

            int length = writer.Flush();
            Assert.Equal((fields.Sum(f => f.Item2) + 7) / 8, length);
            var reader = new BitReader(buffer.AsSpan(0, length));
            foreach ((ulong value, int width) in fields)
            {
                Assert.Equal(width == 64 ? value : value & ((1UL << width) - 1), reader.Read(width));
            }
        }, iter: 2000);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 0)]
    [InlineData(3, 1)]
    public void Integers_round_trip_with_every_order_and_layout(int order, int layout) =>
        Gen.Int[0, 400].SelectMany(SeriesGenerators.Longs).Sample(values =>
        {
            var buffer = new byte[IntegerCodec.MaxEncodedLength(values.Length)];
            int length = IntegerCodec.EncodeWith(values, buffer, order, layout);
            var decoded = new long[values.Length];
            IntegerCodec.Decode(buffer.AsSpan(0, length), decoded);
            Assert.Equal(values, decoded);
        }, iter: 1000);

    [Fact]
    public void Integers_round_trip_with_the_chosen_encoding() =>
        Gen.Int[0, 400].SelectMany(SeriesGenerators.Longs).Sample(values =>
        {
            var buffer = new byte[IntegerCodec.MaxEncodedLength(values.Length)];
            int length = IntegerCodec.Encode(values, buffer);
            var decoded = new long[values.Length];
            IntegerCodec.Decode(buffer.AsSpan(0, length), decoded);
            Assert.Equal(values, decoded);
        }, iter: 2000);

    [Fact]
    public void Constant_rate_integers_cost_no_bits_per_value()
    {
        long[] values = Enumerable.Range(0, 240).Select(i => 1_000L * i).ToArray();
        var buffer = new byte[IntegerCodec.MaxEncodedLength(values.Length)];
        Assert.True(IntegerCodec.Encode(values, buffer) <= 8);
    }

    [Fact]
    public void Gorilla_xor_round_trips_every_bit_pattern() =>
        Gen.Int[0, 300].SelectMany(SeriesGenerators.Doubles).Sample(values =>
        {
            long[] bits = values.Select(BitConverter.DoubleToInt64Bits).ToArray();
            var buffer = new byte[GorillaXorCodec.MaxEncodedLength(bits.Length)];
            int length = GorillaXorCodec.Encode(bits, buffer);
            var decoded = new long[bits.Length];
            GorillaXorCodec.Decode(buffer.AsSpan(0, length), decoded);
            Assert.Equal(bits, decoded);
        }, iter: 2000);

    [Fact]
    public void Decimal_encoding_round_trips_decimals_and_keeps_everything_else_as_exceptions() =>
        Gen.Int[1, 300].SelectMany(SeriesGenerators.Doubles).Sample(values =>
        {
            long[] bits = values.Select(BitConverter.DoubleToInt64Bits).ToArray();
            var buffer = new byte[DecimalCodec.MaxEncodedLength(bits.Length)];
            int length = DecimalCodec.Encode(bits, buffer, new long[bits.Length]);
            if (length < 0)
            {
                return; // not decimal enough; DoubleCodec falls back to XOR
            }

            var decoded = new long[bits.Length];
            DecimalCodec.Decode(buffer.AsSpan(0, length), decoded);
            Assert.Equal(bits, decoded);
        }, iter: 2000);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    public void Decimal_data_is_stored_as_integers_not_xor(int decimals)
    {
        var random = new Random(decimals);
        long[] bits = Enumerable.Range(0, 240).Select(_ => BitConverter.DoubleToInt64Bits(Math.Round(random.NextDouble() * 100, decimals))).ToArray();
        var buffer = new byte[DoubleCodec.MaxEncodedLength(bits.Length)];
        int length = DoubleCodec.Encode(bits, buffer, new long[bits.Length]);
        Assert.Equal(1, buffer[0]);
        var decoded = new long[bits.Length];
        DoubleCodec.Decode(buffer.AsSpan(0, length), decoded);
        Assert.Equal(bits, decoded);
    }

    [Fact]
    public void Run_lengths_round_trip() =>
        Gen.Int[0, 5].Array[0, 500].Sample(symbols =>
        {
            var buffer = new byte[RunLengthCodec.MaxEncodedLength(symbols.Length)];
            int length = RunLengthCodec.Encode(symbols, buffer);
            var decoded = new int[symbols.Length];
            RunLengthCodec.Decode(buffer.AsSpan(0, length), decoded, maxSymbol: 5);
            Assert.Equal(symbols, decoded);
        }, iter: 1000);

    [Fact]
    public void Strings_round_trip_including_empty_long_and_non_ascii() =>
        Gen.Int[1, 200].SelectMany(SeriesGenerators.Strings).Sample(strings =>
        {
            Sample[] samples = strings.Select((s, i) => new Sample(i, s)).ToArray();
            var indices = new int[samples.Length];
            List<string> dictionary = StringCodec.BuildDictionary(samples, indices, out long bound);
            var buffer = new byte[bound];
            int length = StringCodec.Encode(dictionary, indices, buffer);
            var decodedIndices = new int[samples.Length];
            string[] decoded = StringCodec.Decode(buffer.AsSpan(0, length), decodedIndices);
            Assert.Equal(strings, decodedIndices.Select(i => decoded[i]));
        }, iter: 500);
}
