using CsCheck;
using Fabrica.Storage.Chunks;

namespace Fabrica.Storage.Tests.Chunks;

public sealed class ChunkCodecRoundTripTests
{
    [Fact]
    public void Chunks_of_every_kind_round_trip_bit_exactly() =>
        SeriesGenerators.AnySeries.Sample(AssertRoundTrip, iter: 3000);

    [Theory]
    [InlineData(ValueKind.Double)]
    [InlineData(ValueKind.Long)]
    [InlineData(ValueKind.Bool)]
    [InlineData(ValueKind.String)]
    public void Single_sample_chunks_round_trip(ValueKind kind) =>
        SeriesGenerators.Series(kind, Gen.Const(1)).Sample(AssertRoundTrip, iter: 300);

    [Theory]
    [InlineData(ValueKind.Double)]
    [InlineData(ValueKind.Long)]
    [InlineData(ValueKind.Bool)]
    [InlineData(ValueKind.String)]
    public void Chunks_of_the_maximum_size_round_trip(ValueKind kind) =>
        SeriesGenerators.Series(kind, Gen.Const(ChunkCodec.MaxSamples)).Sample(AssertRoundTrip, iter: 4, threads: 1);

    [Fact]
    public void Timestamps_at_both_ends_of_the_long_range_round_trip()
    {
        AssertRoundTrip([new Sample(long.MinValue, 1.0), new Sample(long.MaxValue, 2.0)]);
        AssertRoundTrip([new Sample(long.MinValue, 1L), new Sample(long.MinValue + 1, 2L), new Sample(long.MaxValue - 1, 3L), new Sample(long.MaxValue, 4L)]);
        AssertRoundTrip([new Sample(long.MaxValue, "only")]);
        AssertRoundTrip([new Sample(-1, true), new Sample(0, false), new Sample(1, true)]);
    }

    [Fact]
    public void Doubles_round_trip_bit_exactly_including_nan_payloads()
    {
        long[] patterns =
        [
            0x7FF8_0000_0000_0001, unchecked((long)0xFFF0_0000_0000_0001), 0x7FF0_0000_0000_0000, unchecked((long)0xFFF0_0000_0000_0000),
            unchecked((long)0x8000_0000_0000_0000), 0, 1, unchecked((long)0x8000_0000_0000_0001), 0x000F_FFFF_FFFF_FFFF, 0x7FEF_FFFF_FFFF_FFFF,
        ];
        Sample[] samples = patterns.Select((bits, i) => new Sample(i * 1000L, BitConverter.Int64BitsToDouble(bits))).ToArray();
        AssertRoundTrip(samples);
        AssertRoundTrip([.. samples.Select((s, i) => s with { Value = i % 2 == 0 ? s.Value : 21.5 })]);
    }

    [Fact]
    public void Header_reports_kind_count_and_time_range_without_decoding() =>
        SeriesGenerators.AnySeries.Sample(samples =>
        {
            ChunkHeader header = ChunkCodec.ReadHeader(ChunkCodec.Encode(samples));
            Assert.Equal(new ChunkHeader(samples[0].Value.Kind, samples.Length, samples[0].Timestamp, samples[^1].Timestamp), header);
        }, iter: 500);

    [Fact]
    public void Decode_appends_after_existing_samples()
    {
        var destination = new List<Sample> { new(1, 1.0) };
        ChunkCodec.Decode(ChunkCodec.Encode([new Sample(5, 2.0), new Sample(6, 3.0)]), destination);
        Assert.Equal([new Sample(1, 1.0), new Sample(5, 2.0), new Sample(6, 3.0)], destination);
    }

    [Fact]
    public void Regular_decimal_sensor_data_costs_well_under_the_target_of_two_point_four_bytes_per_sample()
    {
        var random = new Random(7);
        Sample[] samples = Enumerable.Range(0, 240)
            .Select(i => new Sample(1_700_000_000_000 + (i * 1000L), Math.Round(40 + (i * 0.001) + (random.NextDouble() * 0.1), 2)))
            .ToArray();
        byte[] chunk = ChunkCodec.Encode(samples);
        Assert.True(chunk.Length < 240 * 1.5, $"{chunk.Length} bytes for 240 samples");
        AssertRoundTrip(samples);
    }

    internal static void AssertRoundTrip(Sample[] samples)
    {
        byte[] chunk = ChunkCodec.Encode(samples);
        var decoded = new List<Sample>();
        ChunkCodec.Decode(chunk, decoded);
        Assert.Equal(samples.Length, decoded.Count);
        for (int i = 0; i < samples.Length; i++)
        {
            // Sample equality compares a double's raw bits, so NaN payloads and -0.0 must match exactly.
            if (samples[i] != decoded[i])
            {
                Assert.Fail($"Sample {i} of {samples.Length}: expected {samples[i]} (bits {samples[i].Value.RawBits:X16}), got {decoded[i]} (bits {decoded[i].Value.RawBits:X16}).");
            }
        }
    }
}
