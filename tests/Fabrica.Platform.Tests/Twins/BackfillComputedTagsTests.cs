using Fabrica.Platform.Ingest;
using Fabrica.Platform.Tests.Models;
using Fabrica.Platform.Twins;

namespace Fabrica.Platform.Tests.Twins;

public sealed class BackfillComputedTagsTests
{
    [Fact]
    public async Task Backfilled_samples_get_their_computed_tags_per_moment_when_every_input_is_there_and_no_rule_fires()
    {
        await using var bed = await ModelTestBed.StartAsync();
        await bed.Catalog.ImportAsync(Plant.Document, ModelTestBed.Engineer);
        var sink = new TwinTelemetrySink(new ModelTestBed.RecordingSink(), bed.Loop);
        var t1 = bed.Now - 3_600_000;
        var t2 = t1 + 1_000;
        SeriesSample S(string tag, long ts, double value) => new(new SeriesKey("plc-7", tag), new Sample(ts, value));

        // t1 is a whole poll; at t2 the power factor is missing; the hot temperature is history, not news.
        await sink.WriteAsync(new[] { S("voltage", t1, 400), S("current", t1, 10), S("pf", t1, 0.9), S("t1", t1, 99), S("voltage", t2, 401), S("current", t2, 11) },
            IngestTransport.MqttBackfill);
        await bed.Loop.DrainAsync();

        var power = Assert.Single(bed.Series.Written, w => w.Series == new SeriesKey("asset:cnc-3", "power"));
        Assert.Equal(t1, power.Sample.Timestamp);
        Assert.Equal(400 * 10 * 1.732 * 0.9 / 1000, power.Sample.Value.AsDouble(), 9);
        Assert.Empty(bed.Alarms.Open);
    }
}
