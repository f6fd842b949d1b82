using Fabrica.Platform.Alarms;
using Fabrica.Platform.Ingest;
using Fabrica.Platform.Models;
using Fabrica.Platform.Tests.Models;
using Fabrica.Platform.Twins;
using Fabrica.Rules;

namespace Fabrica.Platform.Tests.Twins;

public sealed class ProductionLoopTests
{
    private static async Task<ModelTestBed> PlantAsync(ModelDocument? document = null)
    {
        var bed = await ModelTestBed.StartAsync();
        await bed.Catalog.ImportAsync(document ?? Plant.Document, ModelTestBed.Engineer);
        return bed;
    }

    [Fact]
    public async Task Ingested_samples_update_the_twin_through_the_bindings_at_once()
    {
        await using var bed = await PlantAsync();

        bed.Ingest("plc-7", ("t1", 61.5), ("unbound", 1.0));

        var twin = bed.Twins.Find("cnc-3")!;
        Assert.Equal(61.5, twin.Get("spindle_temp")!.Value.AsDouble());
        Assert.Equal(bed.Now, twin.LastSeen);
        Assert.Single(twin.Values());
    }

    [Fact]
    public async Task A_late_sample_does_not_overwrite_a_newer_value_and_is_not_evaluated()
    {
        await using var bed = await PlantAsync();
        bed.Ingest("plc-7", ("t1", 60.0));

        bed.IngestAt(bed.Now - 60_000, "plc-7", ("t1", 95.0));
        await bed.Loop.DrainAsync();

        Assert.Equal(60.0, bed.Twins.Find("cnc-3")!.Get("spindle_temp")!.Value.AsDouble());
        Assert.Empty(bed.Alarms.Open);
    }

    [Fact]
    public async Task Edge_backfill_updates_the_twin_but_is_not_evaluated_by_rules()
    {
        await using var bed = await PlantAsync();
        var sink = new TwinTelemetrySink(bed.Series, bed.Loop);
        SeriesSample[] Hot(long ts) => [new(new SeriesKey("plc-7", "t1"), new Sample(ts, 95.0))];

        await sink.WriteAsync(Hot(bed.Now), IngestTransport.MqttBackfill);
        await bed.Loop.DrainAsync();
        Assert.Equal(95.0, bed.Twins.Find("cnc-3")!.Get("spindle_temp")!.Value.AsDouble());
        Assert.Empty(bed.Alarms.Open);

        // The same value live is evaluated: the rule was there to fire.
        bed.Time.Advance(TimeSpan.FromSeconds(1));
        await sink.WriteAsync(Hot(bed.Now), IngestTransport.Mqtt);
        await bed.Loop.DrainAsync();
        Assert.NotEmpty(bed.Alarms.Open);
    }

    [Fact]
    public async Task A_computed_tag_is_evaluated_from_the_twin_and_stored_as_an_asset_series()
    {
        await using var bed = await PlantAsync();

        bed.Ingest("plc-7", ("voltage", 400.0), ("current", 10.0), ("pf", 0.9));
        await bed.Loop.DrainAsync();

        var power = bed.Twins.Find("cnc-3")!.Get("power")!;
        Assert.Equal(400 * 10 * 1.732 * 0.9 / 1000, power.Value.AsDouble(), 9);
        Assert.True(power.Computed);
        var stored = Assert.Single(bed.Series.Written, s => s.Series.Tag == "power");
        Assert.Equal(new SeriesKey("asset:cnc-3", "power"), stored.Series);
        Assert.Equal(bed.Now, stored.Sample.Timestamp);
    }

    [Fact]
    public async Task A_type_rule_raises_a_priority_1_alarm_sends_its_command_and_returns_to_normal_after_acknowledgement()
    {
        await using var bed = await PlantAsync();

        bed.Ingest("plc-7", ("sp", 1000.0), ("t1", 85.0));
        await bed.Loop.DrainAsync();

        var alarm = Assert.Single(bed.Alarms.Open);
        Assert.Equal((AlarmState.ActiveUnacknowledged, 1, "cnc-3", "acme/plant-1/assembly/line-2/cnc-3"), (alarm.State, alarm.Priority, alarm.AssetId, alarm.AssetPath));
        Assert.Equal(85.0, alarm.Values!["spindle_temp"].Value.AsDouble());
        var command = Assert.Single(bed.Channel.Sent);
        Assert.Equal(("plc-7", ProductionLoop.WriteTagCommand), (command.Device, command.Name));
        Assert.Equal("sp", command.Args.GetProperty("tag").GetString());
        Assert.Equal(700.0, command.Args.GetProperty("value").GetDouble(), 9);

        bed.Time.Advance(TimeSpan.FromSeconds(5));
        bed.Ingest("plc-7", ("t1", 70.0));
        await bed.Loop.DrainAsync();
        Assert.Equal(AlarmState.ClearedUnacknowledged, Assert.Single(bed.Alarms.Open).State);

        var ack = await bed.Alarms.AcknowledgeAsync(alarm.Id, "Operator 1", "fan cleaned", new Security.Caller("token:op", "test"));
        Assert.Null(ack.Problem);
        Assert.Equal(AlarmState.Normal, ack.Alarm!.State);
        Assert.Empty(bed.Alarms.Open);
        var history = await bed.Alarms.HistoryAsync(0, long.MaxValue, alarmId: alarm.Id);
        Assert.Equal(["raised", "cleared", "acknowledged"], history.Select(h => h.Kind));
        Assert.Equal("fan cleaned", history[2].Comment);
        var stored = await bed.Alarms.GetAsync(alarm.Id);
        Assert.Equal(("Operator 1", bed.Now), (stored!.AcknowledgedBy, stored.ClosedAt!.Value));
    }

    [Fact]
    public async Task A_write_whose_value_cannot_be_computed_yet_is_not_sent_but_the_alarm_is_raised()
    {
        await using var bed = await PlantAsync();

        bed.Ingest("plc-7", ("t1", 85.0));
        await bed.Loop.DrainAsync();

        Assert.Single(bed.Alarms.Open);
        Assert.Empty(bed.Channel.Sent);
    }

    [Fact]
    public async Task A_for_duration_rule_completes_on_the_tick_of_the_injected_clock()
    {
        var rule = new AssetRule(new RuleDefinition("hot-for-10s", "Hot for 10 s", ["spindle_temp"],
            new ForDurationCondition(TimeSpan.FromSeconds(10), new ThresholdCondition("spindle_temp", 80)), [new AlarmAction()]), Asset: "cnc-3");
        await using var bed = await PlantAsync(Plant.Document with { Rules = [rule] });

        bed.Ingest("plc-7", ("t1", 90.0));
        await bed.Loop.DrainAsync();
        Assert.Empty(bed.Alarms.Open);

        bed.Time.Advance(TimeSpan.FromSeconds(11));
        await bed.Loop.DrainAsync();

        Assert.Equal("hot-for-10s", Assert.Single(bed.Alarms.Open).RuleId);
    }

    [Fact]
    public async Task Disabling_a_rule_clears_its_alarm_and_shelving_expires_on_its_own()
    {
        await using var bed = await PlantAsync();
        bed.Ingest("plc-7", ("t1", 90.0));
        await bed.Loop.DrainAsync();
        var alarm = Assert.Single(bed.Alarms.Open);
        var caller = new Security.Caller("token:op", "test");

        var shelved = await bed.Alarms.ShelveAsync(alarm.Id, bed.Now + 60_000, "Operator 1", "maintenance", caller);
        Assert.True(shelved.Alarm!.IsShelved(bed.Now));
        Assert.NotNull((await bed.Alarms.ShelveAsync(alarm.Id, bed.Now + (long)TimeSpan.FromDays(2).TotalMilliseconds, "Operator 1", null, caller)).Problem);
        bed.Time.Advance(TimeSpan.FromSeconds(61));
        await bed.Loop.DrainAsync();
        Assert.Null(Assert.Single(bed.Alarms.Open).ShelvedUntil);

        await bed.Catalog.SetRuleEnabledAsync("spindle-overheat", false, ModelTestBed.Engineer);
        await bed.Loop.DrainAsync();

        Assert.Equal(AlarmState.ClearedUnacknowledged, Assert.Single(bed.Alarms.Open).State);
        var history = await bed.Alarms.HistoryAsync(0, long.MaxValue, alarmId: alarm.Id);
        Assert.Equal(["raised", "shelved", "shelve-expired", "cleared"], history.Select(h => h.Kind));
        Assert.Equal("rule disabled", history[^1].Comment);
    }

    [Fact]
    public async Task An_alarm_active_at_a_restart_is_reset_and_the_rule_raises_it_again_while_its_condition_holds()
    {
        await using var bed = await PlantAsync();
        bed.Ingest("plc-7", ("t1", 90.0));
        await bed.Loop.DrainAsync();
        var alarm = Assert.Single(bed.Alarms.Open);

        var restarted = new AlarmBook(bed.Store, bed.Audit, time: bed.Time);
        await restarted.LoadAsync();

        var reset = Assert.Single(restarted.Open);
        Assert.Equal((alarm.Id, AlarmState.ClearedUnacknowledged), (reset.Id, reset.State));
    }

    [Fact]
    public async Task When_the_queue_is_full_samples_are_shed_and_counted_but_twins_stay_current()
    {
        await using var bed = await ModelTestBed.StartAsync();
        await bed.Catalog.ImportAsync(Plant.Document, ModelTestBed.Engineer);
        using var small = new ProductionLoop(bed.Catalog, bed.Twins, bed.Alarms, bed.Commands, bed.Series, time: bed.Time,
            options: new ProductionLoopOptions { QueueCapacity = 4 });

        for (var i = 0; i < 10; i++)
            small.Observe([new SeriesSample(new SeriesKey("plc-7", "t1"), new Sample(bed.Now + i, 50.0 + i))]);

        Assert.True(small.Shed >= 5, $"shed {small.Shed}");
        Assert.Equal(59.0, bed.Twins.Find("cnc-3")!.Get("spindle_temp")!.Value.AsDouble());
    }

    [Fact]
    public async Task Removing_an_asset_forgets_its_twin_and_changing_a_rule_takes_effect_without_a_restart()
    {
        await using var bed = await PlantAsync();
        bed.Ingest("plc-7", ("t1", 85.0));
        await bed.Loop.DrainAsync();
        Assert.Single(bed.Alarms.Open);

        await bed.Catalog.PutRuleAsync(Plant.Overheat(raiseAbove: 100), ModelTestBed.Engineer);
        await bed.Loop.DrainAsync();
        Assert.Equal(AlarmState.ClearedUnacknowledged, Assert.Single(bed.Alarms.Open).State);

        await bed.Catalog.DeleteRuleAsync("spindle-overheat", ModelTestBed.Engineer);
        await bed.Catalog.DeleteAssetAsync("cnc-3", ModelTestBed.Engineer);
        Assert.Null(bed.Twins.Find("cnc-3"));
    }
}
