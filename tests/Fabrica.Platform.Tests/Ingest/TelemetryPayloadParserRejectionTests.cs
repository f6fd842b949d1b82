using System.Text;
using Fabrica.Platform.Ingest;
using static Fabrica.Platform.Tests.Ingest.ParserFixture;

namespace Fabrica.Platform.Tests.Ingest;

public sealed class TelemetryPayloadParserRejectionTests
{
    [Theory]
    [InlineData("{\"a\": 1", "line 1")]
    [InlineData("{\"a\": 1,}", "")]
    [InlineData("{'a': 1}", "")]
    [InlineData("{\"a\": 1} {\"b\": 2}", "")]
    [InlineData("{\"a\": NaN}", "")]
    [InlineData("{\"a\": Infinity}", "")]
    [InlineData("{\"a\": 01}", "")]
    [InlineData("{\"a\": 1} // note", "")]
    [InlineData("{\"a\":\n 1 2}", "line 2")]
    public void Broken_JSON_is_malformed_and_says_where(string json, string where)
    {
        var rejection = Reject(json);

        Assert.Equal(RejectReason.MalformedJson, rejection.Reason);
        Assert.StartsWith("The payload is not valid JSON (line ", rejection.Message, StringComparison.Ordinal);
        Assert.Contains(where, rejection.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_UTF_8_is_malformed()
    {
        byte[] payload = [.. "{\"a\": \""u8, 0xC3, 0x28, .. "\"}"u8];

        var rejection = TelemetryPayloadParser.Parse(payload, Device, Now, IngestLimits.Default).Rejection;

        Assert.Equal(RejectReason.MalformedJson, rejection?.Reason);
    }

    [Fact]
    public void Invalid_UTF_8_in_a_key_is_malformed()
    {
        byte[] payload = [.. "{\""u8, 0xFF, .. "\": 1}"u8];

        Assert.Equal(RejectReason.MalformedJson, TelemetryPayloadParser.Parse(payload, Device, Now, IngestLimits.Default).Rejection?.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \r\n")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("[{}, {}]")]
    [InlineData("{\"values\": {}}")]
    [InlineData("{\"ts\": 1764479000000, \"values\": {}}")]
    public void Messages_without_values_are_empty(string json)
    {
        var rejection = Reject(json);

        Assert.Equal(RejectReason.EmptyPayload, rejection.Reason);
        Assert.Null(rejection.Field);
    }

    [Theory]
    [InlineData("42", "$")]
    [InlineData("\"temperature\"", "$")]
    [InlineData("null", "$")]
    [InlineData("[{\"a\": 1}, 5]", "$[1]")]
    [InlineData("[[{\"a\": 1}]]", "$[0]")]
    [InlineData("{\"ts\": 1764479000000}", "$.values")]
    [InlineData("{\"q\": \"bad\", \"a\": 1}", "$.a")]
    [InlineData("{\"values\": {\"a\": 1}, \"b\": 2}", "$.b")]
    [InlineData("{\"a\": 1, \"ts\": 1764479000000}", "$.ts")]
    [InlineData("{\"a\": 1, \"values\": {\"b\": 2}}", "$.values")]
    [InlineData("{\"values\": [1, 2]}", "$.values")]
    [InlineData("{\"values\": {\"a\": 1}, \"values\": {\"b\": 1}}", "$.values")]
    [InlineData("{\"ts\": 1764479000000, \"ts\": 1764479000000, \"values\": {\"a\": 1}}", "$.ts")]
    [InlineData("[{}, {\"q\": \"bad\", \"q\": \"bad\", \"values\": {\"a\": 1}}]", "$[1].q")]
    public void Valid_JSON_in_the_wrong_shape_is_an_invalid_structure(string json, string field)
    {
        var rejection = Reject(json);

        Assert.Equal(RejectReason.InvalidStructure, rejection.Reason);
        Assert.Equal(field, rejection.Field);
    }

    [Theory]
    [InlineData("{\"a\": null}", "$.a", "null is not a value")]
    [InlineData("{\"a\": {\"value\": 1, \"q\": \"bad\"}}", "$.a", "not an object or array")]
    [InlineData("{\"a\": [1, 2]}", "$.a", "not an object or array")]
    [InlineData("{\"a\": 1e400}", "$.a", "outside the range")]
    [InlineData("{\"a\": -1e400}", "$.a", "outside the range")]
    [InlineData("[{\"x\": 1}, {}, {\"x\": 2}, {\"ts\": 1764479000000, \"values\": {\"temperature\": null}}]", "$[3].values.temperature", "null")]
    public void Values_that_are_not_numbers_booleans_or_strings_are_invalid_and_name_the_key(string json, string field, string hint)
    {
        var rejection = Reject(json);

        Assert.Equal(RejectReason.InvalidValue, rejection.Reason);
        Assert.Equal(field, rejection.Field);
        Assert.Contains(hint, rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"line/1\": 1}", "$['line/1']")]
    [InlineData("{\"a+\": 1}", "$['a+']")]
    [InlineData("{\"#\": 1}", "$['#']")]
    [InlineData("{\"\": 1}", "$['']")]
    [InlineData("{\"tab\\there\": 1}", "$['tab\\u0009here']")]
    [InlineData("{\"values\": {\"ok\": 1, \"it's/bad\": 2}}", "$.values['it\\'s/bad']")]
    [InlineData("[{\"a\": 1}, {\"a\": 1, \"a\": 2}]", "$[1].a")]
    [InlineData("{\"values\": {\"b\": 1, \"b\": 2}}", "$.values.b")]
    public void Keys_that_are_not_valid_tags_are_rejected_with_their_path(string json, string field)
    {
        var rejection = Reject(json);

        Assert.Equal(RejectReason.InvalidKey, rejection.Reason);
        Assert.Equal(field, rejection.Field);
    }

    [Fact]
    public void A_repeated_key_in_a_large_object_is_found_too()
    {
        var json = "{" + string.Join(',', Enumerable.Range(0, 40).Select(i => $"\"t{i}\": {i}")) + ", \"t17\": 0}";

        Assert.Equal("$.t17", Reject(json).Field);
    }

    [Fact]
    public void Keys_longer_than_the_limit_are_rejected_and_shortened_in_the_path()
    {
        var ok = new string('k', 256);
        var tooLong = new string('k', 257);
        var huge = new string('k', 5000);

        Assert.Single(Accept($$$"""{"{{{ok}}}": 1}"""));
        Assert.Equal(RejectReason.InvalidKey, Reject($$$"""{"{{{tooLong}}}": 1}""").Reason);
        var rejection = Reject($$$"""{"{{{huge}}}": 1}""");
        Assert.Equal(RejectReason.InvalidKey, rejection.Reason);
        Assert.True(rejection.Field!.Length < 100);
        Assert.Equal(RejectReason.InvalidKey, Reject("{\"abc\": 1}", new IngestLimits { MaxTagLength = 2 }).Reason);
    }

    [Fact]
    public void Strings_longer_than_the_limit_are_too_long()
    {
        var limits = new IngestLimits { MaxStringValueLength = 8 };

        Assert.Single(Accept("""{"a": "12345678"}""", limits));
        Assert.Single(Accept("""{"a": "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"}""", limits));
        Assert.Single(Accept("""{"a": "éééééééé"}""", limits));
        var rejection = Reject("""{"a": "123456789"}""", limits);
        Assert.Equal(RejectReason.ValueTooLong, rejection.Reason);
        Assert.Equal("$.a", rejection.Field);
        Assert.Contains("9 characters; at most 8", rejection.Message, StringComparison.Ordinal);
        Assert.Equal(RejectReason.ValueTooLong, Reject("""{"a": "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"}""", limits).Reason);
    }

    [Theory]
    [InlineData("\"fine\"")]
    [InlineData("\"\"")]
    [InlineData("0")]
    [InlineData("null")]
    [InlineData("\"goodish\"")]
    public void Quality_other_than_good_uncertain_or_bad_is_invalid(string q)
    {
        var rejection = Reject($$$"""{"q": {{{q}}}, "values": {"a": 1}}""");

        Assert.Equal(RejectReason.InvalidQuality, rejection.Reason);
        Assert.Equal("$.q", rejection.Field);
    }

    [Fact]
    public void More_samples_than_the_limit_are_rejected_at_the_first_one_over()
    {
        var limits = new IngestLimits { MaxSamplesPerMessage = 3 };

        Assert.Equal(3, Accept("""[{"a": 1, "b": 2}, {"a": 3}]""", limits).Length);
        var rejection = Reject("""[{"a": 1, "b": 2}, {"values": {"a": 3, "b": 4}}]""", limits);
        Assert.Equal(RejectReason.TooManySamples, rejection.Reason);
        Assert.Equal("$[1].values.b", rejection.Field);
    }

    [Fact]
    public void Payloads_over_the_size_limit_are_rejected_before_parsing()
    {
        var limits = new IngestLimits { MaxPayloadBytes = 16 };

        Assert.Single(Accept("""{"abcdefgh": 12}""", limits));
        var rejection = Reject("""{"abcdefgh": 123}""", limits);
        Assert.Equal(RejectReason.PayloadTooLarge, rejection.Reason);
        Assert.Contains("17 bytes; at most 16", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_multi_segment_payload_over_the_size_limit_is_rejected_without_copying()
    {
        var bytes = new byte[300 * 1024];
        var result = TelemetryPayloadParser.Parse(Segments.Split(bytes, 4096), Device, Now, IngestLimits.Default);

        Assert.Equal(RejectReason.PayloadTooLarge, result.Rejection?.Reason);
    }

    [Fact]
    public void Deeply_nested_JSON_is_refused_at_the_first_nested_value()
    {
        var deepArray = new string('[', 100_000) + new string(']', 100_000);
        var deepObject = string.Concat(Enumerable.Repeat("{\"a\":", 50_000)) + "1" + new string('}', 50_000);

        Assert.Equal(("$[0]", RejectReason.InvalidStructure), Outcome(Reject(deepArray, new IngestLimits { MaxPayloadBytes = 1 << 20 })));
        Assert.Equal(("$.a", RejectReason.InvalidValue), Outcome(Reject(deepObject, new IngestLimits { MaxPayloadBytes = 1 << 20 })));

        static (string?, RejectReason) Outcome(TelemetryRejection r) => (r.Field, r.Reason);
    }

    [Fact]
    public void A_huge_batch_within_the_limits_is_accepted_whole()
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < 2000; i++)
            json.Append(i == 0 ? "" : ",").Append("{\"ts\":").Append(1764470000000 + i).Append(",\"values\":{\"t\":").Append(i).Append(",\"s\":\"x\"}}");
        json.Append(']');

        var samples = Accept(json.ToString());

        Assert.Equal(4000, samples.Length);
        Assert.Equal(1764470001999, samples[^1].Sample.Timestamp);
    }

    [Fact]
    public void Device_text_quoted_in_a_message_has_no_line_breaks()
    {
        var rejection = Reject("""{"ts": "2025-11-30\nT05:00:00Z\r\u0000", "values": {"a": 1}}""");

        Assert.Equal(RejectReason.InvalidTimestamp, rejection.Reason);
        Assert.DoesNotContain(rejection.Message, char.IsControl);
        Assert.Contains("2025-11-30?T05:00:00Z??", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_message_names_something_to_fix()
    {
        var payloads = new[] { "{", "5", "{}", "{\"a\":null}", "{\"/\":1}", "{\"q\":\"x\",\"values\":{\"a\":1}}", "{\"ts\":\"x\",\"values\":{\"a\":1}}" };

        Assert.All(payloads, p => Assert.True(Reject(p).Message.Length > 20));
    }
}
