using System.Globalization;
using Fabrica.Platform.Ingest;
using static Fabrica.Platform.Tests.Ingest.ParserFixture;

namespace Fabrica.Platform.Tests.Ingest;

public sealed class TelemetryPayloadParserTimestampTests
{
    private static long Ts(string tsJson) => Single($$$"""{"ts": {{{tsJson}}}, "values": {"a": 1}}""").Sample.Timestamp;

    [Theory]
    [InlineData("\"2025-11-30T05:00:00Z\"", 1764478800000)]
    [InlineData("\"2025-11-30t05:00:00z\"", 1764478800000)]
    [InlineData("\"2025-11-30 05:00:00Z\"", 1764478800000)]
    [InlineData("\"2025-11-30T08:00:00+03:00\"", 1764478800000)]
    [InlineData("\"2025-11-29T23:30:00-05:30\"", 1764478800000)]
    [InlineData("\"2025-11-30T05:00:00-00:00\"", 1764478800000)]
    [InlineData("\"2025-11-30T05:00:00.1Z\"", 1764478800100)]
    [InlineData("\"2025-11-30T05:00:00.12Z\"", 1764478800120)]
    [InlineData("\"2025-11-30T05:00:00.123Z\"", 1764478800123)]
    [InlineData("\"2025-11-30T05:00:00.1234Z\"", 1764478800123)]
    [InlineData("\"2025-11-30T05:00:00.1235Z\"", 1764478800124)]
    [InlineData("\"2025-11-30T05:00:00.123500Z\"", 1764478800124)]
    [InlineData("\"2025-11-30T05:00:00.123499999999Z\"", 1764478800123)]
    [InlineData("\"2025-11-30T05:00:00.9995Z\"", 1764478801000)]
    [InlineData("\"2025-11-30T05:00:00.999999+01:00\"", 1764475201000)]
    [InlineData("\"2024-02-29T00:00:00Z\"", 1709164800000)]
    [InlineData("\"2025-11-30T05:00:\\u0030\\u0030Z\"", 1764478800000)]
    public void RFC_3339_strings_with_offsets_and_fractions_are_rounded_to_milliseconds(string json, long expected)
    {
        Assert.Equal(expected, Ts(json));
    }

    [Theory]
    [InlineData("2025-11-30T05:00:00.1234567+02:00")]
    [InlineData("2001-01-01T00:00:00.0000005Z")]
    [InlineData("2025-06-15T23:59:59.9999995-11:45")]
    [InlineData("2025-11-30T05:00:00.0004999Z")]
    public void RFC_3339_rounding_agrees_with_UnixTime_in_Core(string text)
    {
        var expected = UnixTime.FromDateTimeOffset(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture));

        Assert.Equal(expected, Ts($"\"{text}\""));
    }

    [Theory]
    [InlineData("1764479000000", 1764479000000)]
    [InlineData("1764479000000.4", 1764479000000)]
    [InlineData("1764479000000.5", 1764479000001)]
    [InlineData("1764479000000.75", 1764479000001)]
    [InlineData("1.764479e12", 1764479000000)]
    [InlineData("1764479000000.0", 1764479000000)]
    public void Fractional_epoch_milliseconds_are_rounded_half_away_from_zero(string json, long expected)
    {
        Assert.Equal(expected, Ts(json));
    }

    [Fact]
    public void A_timestamp_exactly_at_the_future_limit_is_accepted_and_one_millisecond_more_is_not()
    {
        var limit = Now + (long)TimeSpan.FromDays(1).TotalMilliseconds;

        Assert.Equal(limit, Ts(limit.ToString(CultureInfo.InvariantCulture)));
        var rejection = Reject($$$"""{"ts": {{{limit + 1}}}, "values": {"a": 1}}""");
        Assert.Equal(RejectReason.TimestampInFuture, rejection.Reason);
        Assert.Equal("$.ts", rejection.Field);
        Assert.Contains("1 day(s) ahead of the server clock", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_future_limit_follows_the_configured_skew()
    {
        var limits = new IngestLimits { MaxFutureSkew = TimeSpan.FromMinutes(5) };

        Assert.True(Parse($$$"""{"ts": {{{Now + 300_000}}}, "values": {"a": 1}}""", limits).IsAccepted);
        Assert.Equal(RejectReason.TimestampInFuture, Reject($$$"""{"ts": {{{Now + 300_001}}}, "values": {"a": 1}}""", limits).Reason);
    }

    [Theory]
    [InlineData("\"2025-12-02T00:00:00Z\"")]
    [InlineData("1e300")]
    [InlineData("1e400")]
    [InlineData("9223372036854775807")]
    [InlineData("1764566400000.6")]
    public void Absurdly_far_future_timestamps_are_rejected(string json)
    {
        Assert.Equal(RejectReason.TimestampInFuture, Reject($$$"""[{"ts": {{{json}}}, "values": {"a": 1}}]""").Reason);
    }

    [Fact]
    public void Unix_seconds_are_rejected_with_a_hint_to_send_milliseconds()
    {
        var rejection = Reject("""{"ts": 1764479000, "values": {"a": 1}}""");

        Assert.Equal(RejectReason.InvalidTimestamp, rejection.Reason);
        Assert.Contains("Unix seconds", rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("-1e300")]
    [InlineData("-1e400")]
    [InlineData("\"1999-12-31T23:59:59.999Z\"")]
    [InlineData("\"0000-01-01T00:00:00Z\"")]
    public void Timestamps_before_the_earliest_accepted_are_invalid(string json)
    {
        var rejection = Reject($$$"""{"ts": {{{json}}}, "values": {"a": 1}}""");

        Assert.Equal(RejectReason.InvalidTimestamp, rejection.Reason);
        Assert.Equal("$.ts", rejection.Field);
    }

    [Fact]
    public void The_earliest_timestamp_can_be_lowered_for_backfill()
    {
        var limits = new IngestLimits { MinTimestamp = 0 };

        Assert.Equal(0, Accept("""{"ts": "1970-01-01T00:00:00Z", "values": {"a": 1}}""", limits)[0].Sample.Timestamp);
        Assert.Equal(86_400_000, Accept("""{"ts": 86400000, "values": {"a": 1}}""", limits)[0].Sample.Timestamp);
    }

    [Theory]
    [InlineData("\"2025-11-30T05:00:00\"")]
    [InlineData("\"2025-11-30\"")]
    [InlineData("\"2025-11-30T05:00Z\"")]
    [InlineData("\"2025-11-30T05:00:00.Z\"")]
    [InlineData("\"2025-13-01T00:00:00Z\"")]
    [InlineData("\"2025-02-29T00:00:00Z\"")]
    [InlineData("\"2025-11-31T00:00:00Z\"")]
    [InlineData("\"2025-11-30T24:00:00Z\"")]
    [InlineData("\"2025-11-30T05:60:00Z\"")]
    [InlineData("\"2016-12-31T23:59:60Z\"")]
    [InlineData("\"2025-11-30T05:00:00+24:00\"")]
    [InlineData("\"2025-11-30T05:00:00+0100\"")]
    [InlineData("\"2025-11-30T05:00:00Z \"")]
    [InlineData("\"2025-11-30X05:00:00Z\"")]
    [InlineData("\"1764479000000\"")]
    [InlineData("\"now\"")]
    [InlineData("\"\"")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[1764479000000]")]
    public void Timestamps_that_are_not_epoch_numbers_or_RFC_3339_are_invalid(string json)
    {
        var rejection = Reject($$$"""[{"values": {"a": 1}}, {"values": {"a": 1}, "ts": {{{json}}}}]""");

        Assert.Equal(RejectReason.InvalidTimestamp, rejection.Reason);
        Assert.Equal("$[1].ts", rejection.Field);
    }
}
