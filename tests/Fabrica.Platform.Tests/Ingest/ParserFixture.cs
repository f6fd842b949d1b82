using System.Text;
using Fabrica.Platform.Ingest;

namespace Fabrica.Platform.Tests.Ingest;

/// <summary>Shorthands shared by the parser tests.</summary>
internal static class ParserFixture
{
    public const string Device = "press-7";

    /// <summary>2025-11-30T05:20:00Z, the server clock in these tests.</summary>
    public const long Now = 1_764_480_000_000;

    public static TelemetryParseResult Parse(string json, IngestLimits? limits = null, long now = Now) =>
        TelemetryPayloadParser.Parse(Encoding.UTF8.GetBytes(json), Device, now, limits ?? IngestLimits.Default);

    public static SeriesSample[] Accept(string json, IngestLimits? limits = null, long now = Now)
    {
        var result = Parse(json, limits, now);
        Assert.True(result.IsAccepted, $"rejected: {result.Rejection}");
        return result.Samples;
    }

    public static TelemetryRejection Reject(string json, IngestLimits? limits = null, long now = Now)
    {
        var result = Parse(json, limits, now);
        Assert.False(result.IsAccepted, "accepted a payload that should be rejected");
        Assert.Empty(result.Samples);
        return result.Rejection!;
    }

    public static SeriesSample Single(string json) => Assert.Single(Accept(json));

    public static SeriesSample Sample(string tag, SampleValue value, long ts = Now, Quality quality = Quality.Good) =>
        new(new SeriesKey(Device, tag), new Sample(ts, value, quality));
}
