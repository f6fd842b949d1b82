using System.Text.Json;

namespace Fabrica.Rules.Tests.Model;

public sealed class RuleJsonTests
{
    /// <summary>The example of docs/rules.md, "A rule set".</summary>
    internal const string DocumentedRuleSet = """
        {
          "version": "2026-11-30.1",
          "rules": [
            {
              "id": "motor-overheat",
              "name": "Motor overheating",
              "description": "Winding temperature above 80 °C for 10 s: slow the motor down.",
              "scope": ["temperature", "speed_setpoint"],
              "condition": {
                "kind": "for",
                "duration": "10s",
                "condition": { "kind": "threshold", "tag": "temperature", "raiseAbove": 80, "clearBelow": 75 }
              },
              "severity": "critical",
              "priority": 1,
              "actions": [
                { "kind": "alarm", "message": "Motor winding over 80 °C" },
                { "kind": "writeTag", "tag": "speed_setpoint", "value": "speed_setpoint * 0.7" },
                { "kind": "emitEvent", "target": "mqtt", "topic": "fabrica/events/motor-overheat", "on": "both" }
              ]
            },
            {
              "id": "line-overload",
              "name": "Line 2 overload",
              "scope": ["meter-2/voltage", "meter-2/current", "meter-2/pf"],
              "condition": { "kind": "expression", "expression": "[meter-2/voltage] * [meter-2/current] * 1.732 * [meter-2/pf] > 50000" },
              "actions": [ { "kind": "emitEvent", "target": "webhook", "url": "https://mes.example.com/hooks/overload" } ]
            },
            {
              "id": "pump-no-data",
              "name": "Pump silent",
              "scope": ["flow"],
              "condition": { "kind": "stale", "tag": "flow", "after": "30s" },
              "severity": "major",
              "actions": [ { "kind": "alarm" } ]
            },
            {
              "id": "tank-filling-fast",
              "name": "Tank level rising fast",
              "scope": ["level"],
              "condition": { "kind": "rateOfChange", "tag": "level", "window": "1m", "raiseAbove": 0.5, "clearBelow": 0.3 },
              "actions": [ { "kind": "setTag", "tag": "filling_fast", "value": "true" }, { "kind": "setTag", "tag": "filling_fast", "value": "false", "on": "cleared" } ]
            },
            {
              "id": "bearing-vibration-outlier",
              "name": "Bearing vibration outlier",
              "enabled": false,
              "scope": ["vibration"],
              "condition": { "kind": "statistical", "tag": "vibration", "k": 3, "samples": 600, "minSamples": 60 },
              "severity": "minor",
              "priority": 4,
              "actions": [ { "kind": "alarm", "severity": "major", "priority": 2 } ]
            }
          ]
        }
        """;

    [Fact]
    public void The_documented_rule_set_reads_compiles_and_round_trips()
    {
        var document = RuleJson.ReadRuleSet(DocumentedRuleSet);
        Assert.Equal(5, document.Rules.Count);
        var set = RuleSet.Compile(document);
        Assert.Equal("2026-11-30.1", set.Version);

        var first = document.Rules[0];
        var forDuration = Assert.IsType<ForDurationCondition>(first.Condition);
        Assert.Equal(TimeSpan.FromSeconds(10), forDuration.Duration);
        Assert.Equal(new ThresholdCondition("temperature", RaiseAbove: 80, ClearBelow: 75), forDuration.Condition);
        Assert.Equal(ActionTrigger.Both, first.Actions[2].On);
        Assert.False(document.Rules[4].Enabled);

        var written = RuleJson.Write(document);
        var again = RuleJson.ReadRuleSet(written);
        Assert.Equal(written, RuleJson.Write(again));
        Assert.Contains("\"kind\":\"for\"", written, StringComparison.Ordinal);
        Assert.Contains("\"duration\":\"10s\"", written, StringComparison.Ordinal);
        Assert.Contains("\"window\":\"1m\"", written, StringComparison.Ordinal);
        Assert.Contains("\"severity\":\"critical\"", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_condition_and_action_kind_survives_a_round_trip()
    {
        RuleCondition[] conditions =
        [
            new ThresholdCondition("t", RaiseAbove: 1, ClearBelow: 0.5, RaiseBelow: -1, ClearAbove: -0.5),
            new ForDurationCondition(TimeSpan.FromMilliseconds(1500), new StaleCondition("t", TimeSpan.FromHours(2))),
            new RateOfChangeCondition("t", TimeSpan.FromMinutes(5), RaiseBelow: -2),
            new ExpressionCondition("t > 1 && [a b] == 'x'"),
            new StatisticalCondition("t", 2.5, Window: TimeSpan.FromMinutes(10), ClearK: 2, MinSamples: 20),
        ];
        RuleAction[] actions =
        [
            new AlarmAction("m", RuleSeverity.Major, 2),
            new WriteTagAction("coil-3", "1", "plc-1") { On = ActionTrigger.Cleared },
            new EmitEventAction(EventTarget.Webhook, Url: "http://x.example/h", Name: "overheat"),
            new SetTagAction("x", "t * 2") { On = ActionTrigger.Both },
        ];
        foreach (var condition in conditions)
        {
            var rule = new RuleDefinition("r-1", "R", ["t"], condition, actions, Enabled: false, Severity: RuleSeverity.Info, Priority: 2, Description: "d");
            var back = RuleJson.ReadRule(RuleJson.Write(rule));
            Assert.Equal(RuleJson.Write(rule), RuleJson.Write(back));
            Assert.Equal(condition, back.Condition);
            Assert.Equal(actions, back.Actions);
        }
    }

    [Theory]
    [InlineData("""{"id":"a","name":"A","scope":["t"],"condition":{"kind":"nope","tag":"t"},"actions":[]}""")]
    [InlineData("""{"id":"a","name":"A","scope":["t"],"condition":{"kind":"stale","tag":"t","after":"soon"},"actions":[]}""")]
    [InlineData("""{"id":"a","name":"A","scope":["t"],"actions":[]}""")]
    [InlineData("""{"id":"a","name":"A","scope":["t"],"condition":{"kind":"threshold"},"actions":[]}""")]
    public void Malformed_json_is_a_json_exception(string json) =>
        Assert.ThrowsAny<JsonException>(() => RuleJson.ReadRule(json));

    [Fact]
    public void Transition_messages_serialise_values_with_their_types()
    {
        var transition = new RuleTransition("hot", "Hot", "press-1", TransitionKind.Activated, TransitionReason.Condition, 1000,
            RuleSeverity.Major, 2, [new("temperature", 81.5, 999), new("running", true, 998), new("mode", "auto", 997), new("count", 3L, 996)]);
        var json = JsonSerializer.Serialize(transition.ToMessage(), RulesJsonContext.Default.RuleTransitionMessage);
        Assert.Equal(
            """{"event":"hot","ruleId":"hot","ruleName":"Hot","device":"press-1","kind":"activated","reason":"condition","timestamp":1000,"severity":"major","priority":2,"values":{"temperature":{"value":81.5,"timestamp":999},"running":{"value":true,"timestamp":998},"mode":{"value":"auto","timestamp":997},"count":{"value":3,"timestamp":996}}}""",
            json);
    }
}
