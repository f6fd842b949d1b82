namespace Fabrica.Rules.Tests.Model;

public sealed class RuleValidationTests
{
    private static RuleDefinition Rule(RuleCondition condition, IReadOnlyList<string>? scope = null, params RuleAction[] actions) =>
        new("boiler-overheat", "Boiler overheat", scope ?? ["temperature", "pressure"], condition, actions);

    private static string Single(RuleDefinition rule, RuleCompileOptions? options = null)
    {
        var errors = RuleSet.Validate([rule], options);
        return Assert.Single(errors).ToString();
    }

    [Theory]
    [InlineData("temprature", "rule 'boiler-overheat': condition.tag: tag 'temprature' is not in the rule's scope")]
    public void A_condition_on_a_tag_outside_the_scope_names_rule_and_tag(string tag, string expected) =>
        Assert.Equal(expected, Single(Rule(new ThresholdCondition(tag, RaiseAbove: 1))));

    [Fact]
    public void An_unknown_tag_is_reported_against_the_hosts_tag_list() =>
        Assert.Equal("rule 'boiler-overheat': scope[1]: unknown tag 'pressure'",
            Single(Rule(new ThresholdCondition("temperature", RaiseAbove: 1)), new RuleCompileOptions(new HashSet<string> { "temperature" })));

    [Fact]
    public void A_bad_expression_is_reported_with_its_position()
    {
        var errors = RuleSet.Validate([Rule(new ExpressionCondition("temperature > 80 && (pressure < 2"))]);
        var error = Assert.Single(errors);
        Assert.Equal("condition.expression", error.Path);
        Assert.Equal(33, error.Position);
        Assert.Equal("rule 'boiler-overheat': condition.expression: Expected ')' to close '(' at position 20 but found the end of the expression at position 33 in 'temperature > 80 && (pressure < 2'", error.ToString());
    }

    [Fact]
    public void An_expression_on_a_tag_outside_the_scope_is_an_error_at_its_position()
    {
        var error = Assert.Single(RuleSet.Validate([Rule(new ExpressionCondition("temperature > 80 && flow < 2"))]));
        Assert.Equal(20, error.Position);
        Assert.Contains("Unknown tag 'flow'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_duration_names_rule_path_and_value()
    {
        var rule = RuleJson.ReadRule("""
            {"id":"boiler-overheat","name":"Boiler overheat","scope":["temperature"],
             "condition":{"kind":"for","duration":"-5s","condition":{"kind":"threshold","tag":"temperature","raiseAbove":90}},"actions":[]}
            """);
        Assert.Equal("rule 'boiler-overheat': condition.duration: is -5s; a duration must be positive", Single(rule));
    }

    [Fact]
    public void Every_problem_of_every_rule_is_listed_at_once()
    {
        RuleDefinition[] rules =
        [
            new("ok", "OK", ["t"], new ThresholdCondition("t", RaiseAbove: 1), []),
            new("bad id!", " ", [], new StaleCondition("t", TimeSpan.Zero), [], Priority: 7),
            new("limits", "Limits", ["t"], new ThresholdCondition("t", RaiseAbove: 80, ClearBelow: 85), []),
            new("stats", "Stats", ["v"], new StatisticalCondition("v", K: -1, Samples: 1), []),
            new("mixed", "Mixed", ["a/t", "t"], new ThresholdCondition("t", RaiseBelow: 1), [new WriteTagAction("c", "1 +")]),
            new("ok", "Duplicate", ["t"], new RateOfChangeCondition("t", TimeSpan.FromSeconds(1)), [new EmitEventAction(EventTarget.Mqtt, Topic: "a/#")]),
        ];
        var ex = Assert.Throws<RuleValidationException>(() => RuleSet.Compile(rules));
        var messages = ex.Errors.Select(e => e.ToString()).ToArray();
        string[] expected =
        [
            "rule 'bad id!': id: 'bad id!' is not a valid id",
            "rule 'bad id!': name: is empty",
            "rule 'bad id!': priority: is 7; priorities run from 1 (most urgent) to 4",
            "rule 'bad id!': scope: lists no tags",
            "rule 'bad id!': condition.tag: tag 't' is not in the rule's scope",
            "rule 'bad id!': condition.after: is 0ms; a duration must be positive",
            "rule 'limits': condition.clearBelow: is 85, above raiseAbove 80",
            "rule 'stats': condition.k: is -1",
            "rule 'stats': condition.samples: is 1",
            "rule 'mixed': scope: mixes device/tag entries with plain tags",
            "rule 'mixed': actions[0].value: Expected a number",
            "rule 'ok': id: is used by another rule in the set",
            "rule 'ok': condition: needs 'raiseAbove', 'raiseBelow' or both",
            "rule 'ok': actions[0].topic: an MQTT event needs a topic without wildcards",
        ];
        foreach (var message in expected)
            Assert.Contains(messages, m => m.StartsWith(message, StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.StartsWith("rule 'ok': condition.tag", StringComparison.Ordinal));
        Assert.StartsWith($"{ex.Errors.Count} problems: rule 'bad id!'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_number_valued_expression_is_not_a_condition() =>
        Assert.Contains("is a number, not a condition", Single(Rule(new ExpressionCondition("temperature * 2"))), StringComparison.Ordinal);

    [Fact]
    public void A_write_from_a_rule_over_fixed_series_must_name_its_device() =>
        Assert.Equal("rule 'boiler-overheat': actions[0].device: is required: the rule reads fixed series, so there is no instance device to write to",
            Single(Rule(new ThresholdCondition("b-1/temperature", RaiseAbove: 1), ["b-1/temperature"], new WriteTagAction("coil", "1"))));
}
