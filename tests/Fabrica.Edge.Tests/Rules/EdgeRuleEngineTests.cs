using Fabrica.Edge.Configuration;

namespace Fabrica.Edge.Tests.Rules;

/// <summary>Edge rules on the shared engine: conditions on tag values, device writes and events, on a fake clock.</summary>
public sealed class EdgeRuleEngineTests
{
    private const string Relief = """
        [{"id": "relief", "name": "Pressure relief", "scope": ["pressure"],
          "condition": {"kind": "threshold", "tag": "pressure", "raiseAbove": 100, "clearBelow": 80},
          "actions": [{"kind": "writeTag", "tag": "relief", "value": "true"},
                      {"kind": "writeTag", "tag": "relief", "value": "false", "on": "cleared"}]}]
        """;

    [Fact]
    public async Task A_threshold_with_hysteresis_opens_the_valve_above_the_limit_and_closes_it_only_below_the_deadband()
    {
        await using var edge = new EdgeRuleHarness(Relief);
        var step = TimeSpan.FromMilliseconds(100);

        edge.Read("press-1", "pressure", 90, step);  // normal
        edge.Read("press-1", "pressure", 101, step); // above: open
        edge.Read("press-1", "pressure", 90, step);  // inside the deadband: stays open
        edge.Read("press-2", "pressure", 95, step);  // the other press is a rule instance of its own
        edge.Read("press-1", "pressure", 79, step);  // below the deadband: close
        edge.Read("press-1", "pressure", 120, step); // and open again
        await edge.WritesAsync(3);

        Assert.Equal(
            [("press-1", "relief", true), ("press-1", "relief", false), ("press-1", "relief", true)],
            edge.Actions.Writes.Select(w => (w.Device, w.Tag, w.Value.AsBool())));
    }

    [Fact]
    public async Task A_for_duration_condition_acts_when_the_time_is_up_without_a_further_sample()
    {
        await using var edge = new EdgeRuleHarness("""
            [{"id": "overheat", "name": "Slow down when hot for 5 s", "scope": ["temperature", "speed"],
              "condition": {"kind": "for", "duration": "5s", "condition": {"kind": "threshold", "tag": "temperature", "raiseAbove": 80}},
              "actions": [{"kind": "writeTag", "tag": "speed", "value": "speed / 2"}]}]
            """);
        edge.Read("press-1", "speed", 1000);
        edge.Read("press-1", "temperature", 85, TimeSpan.FromSeconds(3));
        edge.Read("press-1", "temperature", 70, TimeSpan.FromSeconds(3)); // false: the 5 s start again
        edge.Read("press-1", "temperature", 86, TimeSpan.FromSeconds(4));
        Assert.Empty(edge.Engine.ActiveRules());

        edge.Time.Advance(TimeSpan.FromSeconds(1.1)); // the engine's ticker completes the 5 s

        var active = Assert.Single(edge.Engine.ActiveRules());
        Assert.Equal(("overheat", "press-1"), (active.RuleId, active.Device));
        await edge.WritesAsync(1);
        var write = Assert.Single(edge.Actions.Writes);
        Assert.Equal(("press-1", "speed", 500.0), (write.Device, write.Tag, write.Value.AsDouble()));
    }

    [Fact]
    public async Task A_rate_of_change_emits_an_event_on_the_edges_events_topic()
    {
        await using var edge = new EdgeRuleHarness("""
            [{"id": "surge", "name": "Pressure surge", "scope": ["pressure"], "severity": "major",
              "condition": {"kind": "rateOfChange", "tag": "pressure", "window": "10s", "raiseAbove": 5, "clearBelow": 1},
              "actions": [{"kind": "emitEvent", "target": "mqtt", "on": "both"}]}]
            """);

        edge.Read("press-1", "pressure", 10, TimeSpan.FromSeconds(1));
        edge.Read("press-1", "pressure", 12, TimeSpan.FromSeconds(1)); // 2 units/s
        Assert.Empty(edge.Events.Published);
        edge.Read("press-1", "pressure", 30, TimeSpan.FromSeconds(1)); // (30 − 10) / 2 s = 10 units/s

        var (topic, payload) = Assert.Single(edge.Events.Published);
        Assert.Equal("fabrica/edges/line1-edge/events", topic);
        Assert.Equal("surge", payload.GetProperty("ruleId").GetString());
        Assert.Equal("press-1", payload.GetProperty("device").GetString());
        Assert.Equal("activated", payload.GetProperty("kind").GetString());
        Assert.Equal("major", payload.GetProperty("severity").GetString());
        Assert.Equal(30, payload.GetProperty("values").GetProperty("pressure").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task An_expression_over_several_tags_acts_only_when_all_of_it_holds()
    {
        await using var edge = new EdgeRuleHarness("""
            [{"id": "hot-and-high", "name": "Hot and high", "scope": ["pressure", "temperature"],
              "condition": {"kind": "expression", "expression": "pressure > 100 && temperature > 60"},
              "actions": [{"kind": "writeTag", "tag": "relief", "value": "1"},
                          {"kind": "writeTag", "tag": "relief", "value": "0", "on": "cleared"}]}]
            """);
        var step = TimeSpan.FromMilliseconds(100);

        edge.Read("press-1", "pressure", 120, step);
        edge.Read("press-1", "temperature", 50, step); // only one half holds
        edge.Read("press-1", "temperature", 65, step); // both: act
        edge.Read("press-1", "pressure", 90, step);    // one half no longer holds: clear
        await edge.WritesAsync(2);

        Assert.Equal([1.0, 0.0], edge.Actions.Writes.Select(w => w.Value.AsDouble()));
    }

    [Fact]
    public void Every_problem_of_every_rule_is_reported_with_the_rule_and_where()
    {
        var error = Assert.Throws<EdgeConfigException>(() => new EdgeRuleHarness("""
            [{"id": "typo", "name": "Typo", "scope": ["presure"],
              "condition": {"kind": "threshold", "tag": "presure", "raiseAbove": 1}, "actions": []},
             {"id": "alarm", "name": "Alarm at the edge", "scope": ["pressure"],
              "condition": {"kind": "threshold", "tag": "pressure", "raiseAbove": 1},
              "actions": [{"kind": "alarm"}, {"kind": "emitEvent", "target": "webhook", "url": "http://example.org/"}]},
             {"id": "nowhere", "name": "Writes a tag the meter lacks", "scope": ["meter-1/power"],
              "condition": {"kind": "threshold", "tag": "meter-1/power", "raiseAbove": 1},
              "actions": [{"kind": "writeTag", "device": "meter-1", "tag": "relief", "value": "1"}]},
             {"id": "broken", "name": "Not a condition", "scope": ["pressure"], "condition": {"kind": "sometimes"}, "actions": []}]
            """));

        var errors = error.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("$.rules[0].scope[0]: rule 'typo': unknown tag 'presure'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.rules[1].actions[0]: rule 'alarm': alarms are raised by the platform", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.rules[1].actions[1]: rule 'alarm': the edge sends events to the platform over MQTT only", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.rules[2].actions[0].tag: rule 'nowhere': device 'meter-1' has no tag 'relief'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.rules[3].condition: rule 'broken':", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_rule_set_leaves_the_old_rules_running_and_a_valid_one_replaces_them_keeping_unchanged_state()
    {
        await using var edge = new EdgeRuleHarness(Relief);
        var step = TimeSpan.FromMilliseconds(100);
        edge.Read("press-1", "pressure", 110, step);
        await edge.WritesAsync(1);

        var refused = Assert.Throws<EdgeConfigException>(() => edge.Engine.Replace(EdgeRuleHarness.Json("""
            [{"id": "relief", "name": "Pressure relief", "scope": ["pressure"],
              "condition": {"kind": "threshold", "tag": "pressure", "raiseAbove": 100, "clearBelow": 80},
              "actions": [{"kind": "writeTag", "tag": "valve", "value": "true"}]}]
            """), "7"));
        Assert.Contains("rule 'relief'", refused.Message, StringComparison.Ordinal);
        Assert.Null(edge.Engine.Version);
        edge.Read("press-1", "pressure", 70, step); // the old rule clears and closes the valve
        await edge.WritesAsync(2);
        Assert.False(edge.Actions.Writes[1].Value.AsBool());

        // The same relief rule plus a new one: relief keeps its state (active again), the new one starts afresh.
        edge.Read("press-1", "pressure", 130, step);
        await edge.WritesAsync(3);
        edge.Engine.Replace(EdgeRuleHarness.Json(Relief[..Relief.LastIndexOf(']')] + """
            ,{"id": "cold", "name": "Cold start", "scope": ["temperature"],
              "condition": {"kind": "threshold", "tag": "temperature", "raiseBelow": 5},
              "actions": [{"kind": "writeTag", "tag": "speed", "value": "100"}]}]
            """), "8");

        Assert.Equal("8", edge.Engine.Version);
        Assert.Equal(["cold", "relief"], edge.Engine.Rules.Select(r => r.Id).Order());
        Assert.Equal("relief", Assert.Single(edge.Engine.ActiveRules()).RuleId);
        edge.Read("press-1", "temperature", 2, step);
        edge.Read("press-1", "pressure", 60, step);
        await edge.WritesAsync(5);
        var writes = edge.Actions.Writes;
        Assert.Equal(("speed", 100.0), (writes[3].Tag, writes[3].Value.AsDouble()));
        Assert.Equal(("relief", false), (writes[4].Tag, writes[4].Value.AsBool()));
    }
}
