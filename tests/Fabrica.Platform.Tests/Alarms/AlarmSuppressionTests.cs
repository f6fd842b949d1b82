using Fabrica.Platform.Alarms;
using Fabrica.Platform.Tests.Models;

namespace Fabrica.Platform.Tests.Alarms;

/// <summary>ISA-18.2 states G (suppressed by design) and H (out of service) per alarm point, over real SQLite.</summary>
public sealed class AlarmSuppressionTests
{
    private const string Rule = "spindle-overheat";
    private const string Path = "acme/plant-1/assembly/line-2/cnc-3";
    private static readonly Security.Caller Engineer = new("token:eng", "test");

    private static async Task<ModelTestBed> PlantAsync()
    {
        var bed = await ModelTestBed.StartAsync();
        await bed.Catalog.ImportAsync(Plant.Document, ModelTestBed.Engineer);
        return bed;
    }

    private static async Task HotThenCoolAsync(ModelTestBed bed, double temperature)
    {
        bed.Time.Advance(TimeSpan.FromSeconds(1));
        bed.Ingest("plc-7", ("sp", 1000.0), ("t1", temperature));
        await bed.Loop.DrainAsync();
    }

    [Fact]
    public async Task Out_of_service_closes_the_open_alarm_raises_nothing_and_survives_a_restart_until_returned_to_service()
    {
        await using var bed = await PlantAsync();
        await HotThenCoolAsync(bed, 90);
        var alarm = Assert.Single(bed.Alarms.Open);

        await bed.Alarms.SetPointModeAsync(Rule, "cnc-3", Path, AlarmSuppression.OutOfService, "Engineer 1", "sensor replaced", Engineer);
        Assert.Empty(bed.Alarms.Open);
        var closed = await bed.Alarms.GetAsync(alarm.Id);
        Assert.Equal((AlarmState.Normal, AlarmSuppression.OutOfService), (closed!.State, closed.Suppression));
        await HotThenCoolAsync(bed, 70);
        await HotThenCoolAsync(bed, 95); // the rule activates again: nothing is raised
        Assert.Empty(bed.Alarms.Open);

        var restarted = new AlarmBook(bed.Store, bed.Audit, time: bed.Time);
        await restarted.LoadAsync();
        var point = Assert.Single(restarted.Points);
        Assert.Equal((Rule, "cnc-3", AlarmSuppression.OutOfService, "Engineer 1", "sensor replaced"), (point.RuleId, point.AssetId, point.Mode, point.By, point.Comment));

        await bed.Alarms.SetPointModeAsync(Rule, "cnc-3", Path, AlarmSuppression.InService, "Engineer 1", null, Engineer);
        await HotThenCoolAsync(bed, 70);
        await HotThenCoolAsync(bed, 95);
        Assert.Null(Assert.Single(bed.Alarms.Open).Suppression);
        var history = await bed.Alarms.HistoryAsync(0, long.MaxValue, alarmId: alarm.Id);
        Assert.Equal(["raised", "out-of-service"], history.Select(h => h.Kind));
    }

    [Fact]
    public async Task A_suppressed_point_still_raises_and_tracks_its_alarm_but_hides_it_from_the_active_list_and_the_flood_rate()
    {
        await using var bed = await PlantAsync();
        await bed.Alarms.SetPointModeAsync(Rule, "cnc-3", Path, AlarmSuppression.Suppressed, "Engineer 1", "line stopped for changeover", Engineer);

        await HotThenCoolAsync(bed, 90);

        var alarm = Assert.Single(bed.Alarms.Open);
        Assert.Equal((AlarmState.ActiveUnacknowledged, AlarmSuppression.Suppressed), (alarm.State, alarm.Suppression));
        Assert.Empty(await bed.Alarms.QueryAsync(new AlarmQuery(Suppressed: false)));
        Assert.Single(await bed.Alarms.QueryAsync(new AlarmQuery(Suppressed: true)));
        Assert.Equal(0, bed.Alarms.Metrics.RateOf("acme/plant-1/assembly"));
        await HotThenCoolAsync(bed, 70);
        Assert.Equal(AlarmState.ClearedUnacknowledged, Assert.Single(bed.Alarms.Open).State);

        await bed.Alarms.SetPointModeAsync(Rule, "cnc-3", Path, AlarmSuppression.InService, "Engineer 1", "changeover done", Engineer);
        Assert.Null(Assert.Single(bed.Alarms.Open).Suppression);
        Assert.Single(await bed.Alarms.QueryAsync(new AlarmQuery(Suppressed: false)));
    }
}
