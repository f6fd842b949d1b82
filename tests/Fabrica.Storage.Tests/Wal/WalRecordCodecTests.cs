using System.Buffers.Binary;
using CsCheck;
using Fabrica.Storage.Wal;

namespace Fabrica.Storage.Tests.Wal;

public sealed class WalRecordCodecTests
{
    [Fact]
    public void Every_value_kind_and_quality_round_trips_bit_for_bit()
    {
        var samples = WalSamples.EveryKind();
        var decoded = RoundTrip(samples, out var records);
        Assert.Equal(1, records);
        Assert.Equal(samples, decoded);
        Assert.Equal(0x7FF8_0000_0000_0123, decoded[2].Sample.Value.RawBits);
        Assert.True(double.IsNegative(decoded[3].Sample.Value.AsDouble()));
    }

    [Fact]
    public void A_batch_larger_than_a_record_is_split_into_records_that_decode_in_order()
    {
        var samples = WalSamples.Batch(WalFormat.MaxSamplesPerRecord * 2 + 17, series: 3000);
        var decoded = RoundTrip(samples, out var records);
        Assert.True(records >= 3);
        Assert.Equal(samples, decoded);
    }

    [Fact]
    public void Large_string_values_split_records_by_size()
    {
        var text = new string('x', 200_000);
        var samples = Enumerable.Range(0, 20).Select(i => new SeriesSample(new("d", "t"), new Sample(i, text))).ToArray();
        var decoded = RoundTrip(samples, out var records);
        Assert.True(records >= 4);
        Assert.Equal(samples, decoded);
    }

    [Fact]
    public void Random_batches_round_trip()
    {
        var key = Gen.Select(Gen.Int[0, 5], Gen.String[Gen.Char.AlphaNumeric, 1, 12], (d, t) => new SeriesKey("d" + d, t));
        var value = Gen.OneOf(
            Gen.Double.Select(SampleValue.FromDouble),
            Gen.Long.Select(SampleValue.FromLong),
            Gen.Bool.Select(SampleValue.FromBool),
            Gen.String.Select(SampleValue.FromString));
        var sample = Gen.Select(key, Gen.Long, value, Gen.Enum<Quality>(), (k, t, v, q) => new SeriesSample(k, new Sample(t, v, q)));
        sample.Array[1, 300].Sample(samples =>
        {
            var utf8Safe = samples.Select(s => s.Sample.Value.Kind == ValueKind.String
                ? s with { Sample = s.Sample with { Value = System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(s.Sample.Value.AsString())) } }
                : s).ToArray();
            Assert.Equal(utf8Safe, RoundTrip(utf8Safe, out _));
        }, iter: 300);
    }

    [Fact]
    public void Validation_rejects_what_the_decoder_would_refuse()
    {
        Assert.Throws<ArgumentException>(() => WalRecordEncoder.Validate([default]));
        Assert.Throws<ArgumentException>(() => WalRecordEncoder.Validate([new(new("d", new string('t', 1025)), new Sample(1, 1.0))]));
        Assert.Throws<ArgumentException>(() => WalRecordEncoder.Validate([new(new("d", "t"), new Sample(1, new string('v', WalFormat.MaxStringValueBytes + 1)))]));
        Assert.Throws<ArgumentException>(() => WalRecordEncoder.Validate([new(new("d", "t"), new Sample(1, 1.0, (Quality)7))]));
        Assert.Throws<ArgumentException>(() => WalRecordEncoder.Validate([new(new("d", "t"), new Sample(1, default))]));
    }

    [Fact]
    public void Every_truncated_payload_is_rejected_as_corrupt_without_other_exceptions()
    {
        var payload = EncodePayload(WalSamples.EveryKind());
        var decoder = new WalRecordDecoder();
        for (var length = 0; length < payload.Length; length++)
            Assert.Throws<WalCorruptionException>(() => decoder.Decode(payload.AsSpan(0, length)));
    }

    [Fact]
    public void Mutated_payloads_decode_or_throw_only_corruption_and_never_allocate_past_the_limits()
    {
        var payload = EncodePayload(WalSamples.EveryKind());
        var decoder = new WalRecordDecoder();
        var random = new Random(20240611);
        for (var i = 0; i < 20_000; i++)
        {
            var mutated = payload.ToArray();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            try
            {
                var samples = decoder.Decode(mutated);
                Assert.True(samples.Length <= WalFormat.MaxSamplesPerRecord);
            }
            catch (WalCorruptionException)
            {
            }
        }
    }

    [Fact]
    public void A_huge_count_read_from_disk_is_refused_before_allocating()
    {
        var payload = new byte[8];
        var n = Varint.Write(payload, uint.MaxValue);
        var error = Assert.Throws<WalCorruptionException>(() => new WalRecordDecoder().Decode(payload.AsSpan(0, n)));
        Assert.Contains("exceeds the limit", error.Reason, StringComparison.Ordinal);
    }

    private static SeriesSample[] RoundTrip(SeriesSample[] samples, out int records)
    {
        using var encoder = new WalRecordEncoder();
        using var buffer = new WalBuffer(1024);
        WalRecordEncoder.Validate(samples);
        records = encoder.Encode(samples, buffer);
        var decoder = new WalRecordDecoder();
        var decoded = new List<SeriesSample>();
        var bytes = buffer.WrittenSpan;
        for (var i = 0; i < records; i++)
        {
            var length = WalFormat.RecordHeaderBytes + BinaryPrimitives.ReadInt32LittleEndian(bytes);
            var record = bytes[..length];
            Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(record[4..]), WalFormat.RecordChecksum(record));
            Assert.True(length - WalFormat.RecordHeaderBytes <= WalFormat.MaxRecordPayloadBytes);
            decoded.AddRange(decoder.Decode(record[WalFormat.RecordHeaderBytes..]).ToArray());
            bytes = bytes[length..];
        }
        Assert.True(bytes.IsEmpty);
        return [.. decoded];
    }

    private static byte[] EncodePayload(SeriesSample[] samples)
    {
        using var encoder = new WalRecordEncoder();
        using var buffer = new WalBuffer(1024);
        encoder.Encode(samples, buffer);
        return buffer.WrittenSpan[WalFormat.RecordHeaderBytes..].ToArray();
    }
}
