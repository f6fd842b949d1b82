using System.Buffers;
using System.Text;
using Fabrica.Platform.Ingest;
using static Fabrica.Platform.Tests.Ingest.ParserFixture;

namespace Fabrica.Platform.Tests.Ingest;

public sealed class TelemetryPayloadParserFormTests
{
    [Fact]
    public void Flat_object_is_stamped_with_server_time_and_good_quality()
    {
        var samples = Accept("""{"temperature": 71.2, "running": true}""");

        Assert.Equal([Sample("temperature", 71.2), Sample("running", true)], samples);
    }

    [Fact]
    public void Timestamped_object_carries_epoch_milliseconds()
    {
        var samples = Accept("""{"ts": 1764479000000, "values": {"temperature": 71.2, "state": "RUN"}}""");

        Assert.Equal([Sample("temperature", 71.2, 1764479000000), Sample("state", "RUN", 1764479000000)], samples);
    }

    [Fact]
    public void Timestamped_object_accepts_an_RFC_3339_string()
    {
        var sample = Single("""{"ts": "2025-11-30T05:00:00.250Z", "values": {"temperature": 1}}""");

        Assert.Equal(1764478800250, sample.Sample.Timestamp);
    }

    [Fact]
    public void Ts_may_follow_values_and_still_applies_to_them()
    {
        var samples = Accept("""{"values": {"a": 1, "b": 2}, "q": "bad", "ts": 1764479000000}""");

        Assert.Equal([Sample("a", 1.0, 1764479000000, Quality.Bad), Sample("b", 2.0, 1764479000000, Quality.Bad)], samples);
    }

    [Fact]
    public void Values_without_ts_use_server_time()
    {
        Assert.Equal(Sample("a", 1.0), Single("""{"values": {"a": 1}}"""));
    }

    [Theory]
    [InlineData("good", Quality.Good)]
    [InlineData("uncertain", Quality.Uncertain)]
    [InlineData("bad", Quality.Bad)]
    [InlineData("Uncertain", Quality.Uncertain)]
    [InlineData("BAD", Quality.Bad)]
    [InlineData("g\\u006Fod", Quality.Good)]
    public void Quality_is_carried_by_q_next_to_values(string q, Quality expected)
    {
        var sample = Single($$$"""{"ts": 1764479000000, "q": "{{{q}}}", "values": {"a": 1}}""");

        Assert.Equal(expected, sample.Sample.Quality);
    }

    [Fact]
    public void Array_of_timestamped_objects_keeps_every_sample_in_order()
    {
        var samples = Accept("""
            [{"ts": 1764479000000, "values": {"a": 1}},
             {"ts": 1764479001000, "values": {"a": 2, "b": false}}]
            """);

        Assert.Equal([Sample("a", 1.0, 1764479000000), Sample("a", 2.0, 1764479001000), Sample("b", false, 1764479001000)], samples);
    }

    [Fact]
    public void Array_may_mix_flat_and_timestamped_objects()
    {
        var samples = Accept("""[{"a": 1}, {"ts": "2025-11-30T05:00:00Z", "values": {"a": 2}}, {"values": {"a": 3}}]""");

        Assert.Equal([Sample("a", 1.0), Sample("a", 2.0, 1764478800000), Sample("a", 3.0)], samples);
    }

    [Fact]
    public void Empty_elements_of_a_batch_are_allowed_when_others_carry_values()
    {
        Assert.Single(Accept("""[{}, {"values": {}}, {"a": 1}]"""));
    }

    [Fact]
    public void Numbers_become_doubles_in_any_JSON_notation()
    {
        var samples = Accept("""{"a": 42, "b": -0.5, "c": 1e3, "d": 12345678901234567890, "e": -0}""");

        Assert.All(samples, s => Assert.Equal(ValueKind.Double, s.Sample.Value.Kind));
        Assert.Equal([42, -0.5, 1000, 12345678901234567890d, -0.0], samples.Select(s => s.Sample.Value.AsDouble()));
    }

    [Fact]
    public void A_string_spelling_NaN_is_a_string_not_a_number()
    {
        Assert.Equal(SampleValue.FromString("NaN"), Single("""{"a": "NaN"}""").Sample.Value);
    }

    [Fact]
    public void Escaped_keys_and_strings_are_unescaped()
    {
        var sample = Single("""{"t\u00e9mp\"1": "line\nbreak \u263A"}""");

        Assert.Equal("témp\"1", sample.Series.Tag);
        Assert.Equal("line\nbreak ☺", sample.Sample.Value.AsString());
    }

    [Fact]
    public void Keys_may_hold_spaces_dots_and_non_ASCII_letters()
    {
        var samples = Accept("""{"line 1.motor temp": 1, "温度": 2, "a:b": 3}""");

        Assert.Equal(["line 1.motor temp", "温度", "a:b"], samples.Select(s => s.Series.Tag));
    }

    [Fact]
    public void Empty_string_values_are_kept()
    {
        Assert.Equal(SampleValue.FromString(""), Single("""{"a": ""}""").Sample.Value);
    }

    [Fact]
    public void Whitespace_and_a_byte_order_mark_around_the_payload_are_ignored()
    {
        byte[] payload = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(" \r\n\t{\"a\": 1}\n ")];

        var result = TelemetryPayloadParser.Parse(payload, Device, Now, IngestLimits.Default);

        Assert.True(result.IsAccepted);
    }

    [Fact]
    public void Samples_belong_to_the_given_device()
    {
        var result = TelemetryPayloadParser.Parse("""{"a": 1}"""u8, "other-device", Now, IngestLimits.Default);

        Assert.Equal(new SeriesKey("other-device", "a"), Assert.Single(result.Samples).Series);
    }

    [Fact]
    public void Repeated_tag_names_are_one_string_instance()
    {
        var tags = new TagCache();
        var first = TelemetryPayloadParser.Parse("""{"temperature": 1}"""u8, Device, Now, IngestLimits.Default, tags);
        var second = TelemetryPayloadParser.Parse("""[{"values": {"temperature": 2}}]"""u8, Device, Now, IngestLimits.Default, tags);

        Assert.Same(first.Samples[0].Series.Tag, second.Samples[0].Series.Tag);
        Assert.Equal(1, tags.Count);
    }

    [Fact]
    public void A_full_tag_cache_still_parses_new_names()
    {
        var tags = new TagCache(capacity: 1);

        var samples = TelemetryPayloadParser.Parse("""{"a": 1, "b": 2, "c": 3}"""u8, Device, Now, IngestLimits.Default, tags).Samples;

        Assert.Equal(["a", "b", "c"], samples.Select(s => s.Series.Tag));
        Assert.Equal(1, tags.Count);
    }

    [Fact]
    public void A_payload_split_over_segments_parses_like_a_contiguous_one()
    {
        var bytes = Encoding.UTF8.GetBytes("""[{"ts": 1764479000000, "values": {"temperature": 71.2}}, {"running": true}]""");
        var sequence = Segments.Split(bytes, 7);

        var result = TelemetryPayloadParser.Parse(sequence, Device, Now, IngestLimits.Default);

        Assert.Equal(TelemetryPayloadParser.Parse(bytes, Device, Now, IngestLimits.Default).Samples, result.Samples);
    }

    [Fact]
    public void TryParse_appends_to_a_batch_and_leaves_it_untouched_on_rejection()
    {
        using var batch = new SampleBatch(1);
        Assert.True(TelemetryPayloadParser.TryParse("""{"a": 1, "b": 2}"""u8, Device, Now, IngestLimits.Default, batch, out _));

        Assert.False(TelemetryPayloadParser.TryParse("""{"c": 3, "d": null}"""u8, Device, Now, IngestLimits.Default, batch, out var rejection));

        Assert.Equal(RejectReason.InvalidValue, rejection.Reason);
        Assert.Equal(["a", "b"], batch.Span.ToArray().Select(s => s.Series.Tag));
    }

    [Fact]
    public void Large_objects_with_many_tags_are_accepted()
    {
        var json = "{" + string.Join(',', Enumerable.Range(0, 500).Select(i => $"\"tag{i}\": {i}")) + "}";

        Assert.Equal(500, Accept(json).Length);
    }
}

internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Split(byte[] bytes, int size)
    {
        var first = new Segments(bytes.AsMemory(0, Math.Min(size, bytes.Length)), 0);
        var last = first;
        for (var i = size; i < bytes.Length; i += size)
        {
            var next = new Segments(bytes.AsMemory(i, Math.Min(size, bytes.Length - i)), i);
            last.Next = next;
            last = next;
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
