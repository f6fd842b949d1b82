namespace Fabrica.Rules.Tests.Validation;

/// <summary>The edge profile: what an edge may run, and the defaults it fills in.</summary>
public sealed class EdgeRuleProfileTests
{
    private static RuleDefinition Rule(string actions, string id = "r1") => RuleJson.ReadRule($$"""
        {"id": "{{id}}", "name": "R", "scope": ["pressure"], "condition": {"kind": "threshold", "tag": "pressure", "raiseAbove": 1},
         "actions": [{{actions}}]}
        """);

    [Fact]
    public void An_mqtt_event_without_a_topic_goes_to_the_edges_events_topic_and_other_rules_are_left_as_they_are()
    {
        var plain = Rule("""{"kind": "writeTag", "tag": "relief", "value": "1"}""");
        var emitting = Rule("""{"kind": "emitEvent", "target": "mqtt"}""", id: "r2");

        var normalized = EdgeRuleProfile.Normalize([plain, emitting], "line1-edge");

        Assert.Same(plain, normalized[0]);
        Assert.Equal("fabrica/edges/line1-edge/events", Assert.IsType<EmitEventAction>(normalized[1].Actions[0]).Topic);
        Assert.Empty(RuleSet.Validate(normalized));
        Assert.Empty(EdgeRuleProfile.Check(normalized, "line1-edge"));
    }

    [Theory]
    [InlineData("""{"kind": "alarm"}""", "alarms are raised by the platform")]
    [InlineData("""{"kind": "setTag", "tag": "x", "value": "1"}""", "computed tags live in the platform")]
    [InlineData("""{"kind": "emitEvent", "target": "webhook", "url": "https://example.org/"}""", "over MQTT only")]
    [InlineData("""{"kind": "emitEvent", "target": "mqtt", "topic": "fabrica/edges/other-edge/events"}""", "outside the edge's events topic")]
    public void Actions_that_belong_to_the_platform_are_refused_naming_the_rule_and_the_action(string action, string reason)
    {
        var error = Assert.Single(EdgeRuleProfile.Check([Rule(action)], "line1-edge"));

        Assert.Equal(("r1", "actions[0]"), (error.RuleId, error.Path));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subtopic_of_the_events_topic_is_allowed()
    {
        Assert.Empty(EdgeRuleProfile.Check([Rule("""{"kind": "emitEvent", "target": "mqtt", "topic": "fabrica/edges/line1-edge/events/valves"}""")], "line1-edge"));
    }
}
