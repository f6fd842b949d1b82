using static Fabrica.Rules.Tests.RuleHarness;

namespace Fabrica.Rules.Tests.Engine;

public sealed class RuleEngineTests
{
    private static RuleDefinition Hot(string id = "hot", double limit = 80, params RuleAction[] actions) =>
        Rule(id, new ThresholdCondition("temperature", RaiseAbove: limit), ["temperature"], actions);

    [Fact]
    public void A_sample_reaches_only_the_rules_that_read_its_tag()
    {
        var h = new RuleHarness(
            Hot(),
            Rule("low-pressure", new ThresholdCondition("pressure", RaiseBelow: 2), ["pressure"]),
            Rule("line-overload", new ExpressionCondition("[line-1/current] > 100"), ["line-1/current"]));
        h.Send(0, "temperature", 90);
        h.Send(1, "pressure", 1);
        h.Send(2, "current", 150); // from press-1, not line-1
        h.Send(3, "current", 150, device: "line-1");
        h.Send(4, "humidity", 99);
        Assert.Equal(["hot", "low-pressure", "line-overload"], h.Sink.Transitions.Select(t => t.RuleId));
    }

    [Fact]
    public void Per_device_rules_keep_separate_state_for_each_device()
    {
        var h = new RuleHarness(Rule("hot", new ThresholdCondition("temperature", RaiseAbove: 80, ClearBelow: 70)));
        h.Send(0, "temperature", 90, device: "press-1");
        h.Send(1, "temperature", 75, device: "press-2");
        h.Send(2, "temperature", 85, device: "press-2");
        h.Send(3, "temperature", 60, device: "press-1");
        Assert.Equal(["press-1:Activated", "press-2:Activated", "press-1:Cleared"], h.Sink.Transitions.Select(t => $"{t.Device}:{t.Kind}"));
        Assert.Equal([new ActiveRule("hot", "press-2", Ms(2))], h.Engine.ActiveRules());
    }

    [Fact]
    public void Transitions_carry_the_triggering_values_timestamps_and_the_rules_severity()
    {
        var rule = Hot() with { Severity = RuleSeverity.Critical, Priority = 1 };
        var h = new RuleHarness(rule);
        h.Send(5, "temperature", 91.5);
        h.Send(9, "temperature", 40);
        var (raised, cleared) = (h.Sink.Transitions[0], h.Sink.Transitions[1]);
        Assert.Equal(Ms(5), raised.Timestamp);
        Assert.Equal([new TriggerValue("temperature", 91.5, Ms(5))], raised.Values);
        Assert.Equal((RuleSeverity.Critical, 1), (raised.Severity, raised.Priority));
        Assert.Equal(Ms(5), cleared.ActiveSince);
        Assert.Equal(TransitionReason.Condition, cleared.Reason);
    }

    [Fact]
    public void Actions_run_on_their_transitions_with_values_computed_from_the_scope()
    {
        var rule = Rule("overheat", new ThresholdCondition("temperature", RaiseAbove: 80), ["temperature", "setpoint"],
            new AlarmAction("Motor too hot"),
            new WriteTagAction("speed", "setpoint * 0.5"),
            new WriteTagAction("cooling", "true", Device: "chiller-1"),
            new WriteTagAction("cooling", "false", Device: "chiller-1") { On = ActionTrigger.Cleared },
            new EmitEventAction(EventTarget.Mqtt, Topic: "plant/events/overheat"),
            new SetTagAction("overheat_margin", "temperature - 80") { On = ActionTrigger.Both });
        var h = new RuleHarness(rule);
        h.Send(0, "setpoint", 1200.0);
        h.Send(1, "temperature", 85);
        h.Send(2, "temperature", 70);
        var done = h.Sink.Actions.Select(a => $"{a.Transition.Kind}:{a.Action.GetType().Name}:{a.Device}:{a.Value}").ToArray();
        Assert.Equal(
            [
                "Activated:AlarmAction::", "Activated:WriteTagAction:press-1:600", "Activated:WriteTagAction:chiller-1:true",
                "Activated:EmitEventAction::", "Activated:SetTagAction:press-1:5",
                "Cleared:AlarmAction::", "Cleared:WriteTagAction:chiller-1:false", "Cleared:SetTagAction:press-1:-10",
            ],
            done);
    }

    [Fact]
    public void Replacing_the_rule_set_keeps_the_state_of_unchanged_rules_and_clears_changed_and_removed_ones()
    {
        var h = new RuleHarness(Hot("a"), Hot("b"), Hot("c"));
        h.Send(0, "temperature", 90);
        Assert.Equal(3, h.Engine.ActiveRules().Count);

        h.Engine.Apply(RuleSet.Compile([Hot("a"), Hot("b", limit: 95), Hot("d")], version: "v2"));
        Assert.Equal("v2", h.Engine.Rules.Version);
        var retired = h.Sink.Transitions.Skip(3).Select(t => $"{t.RuleId}:{t.Kind}:{t.Reason}").ToArray();
        Assert.Equal(["b:Cleared:Replaced", "c:Cleared:Removed"], retired.Order());
        Assert.Equal(["a"], h.Engine.ActiveRules().Select(r => r.RuleId));

        h.Send(1, "temperature", 91);
        Assert.Equal(["a", "d"], h.Engine.ActiveRules().Select(r => r.RuleId).Order());
    }

    [Fact]
    public void An_invalid_rule_set_is_rejected_whole_and_the_engine_keeps_its_rules()
    {
        var h = new RuleHarness(Hot("a"));
        Assert.Throws<RuleValidationException>(() => h.Engine.Apply([Hot("a"), Rule("broken", new ThresholdCondition("nope", RaiseAbove: 1))]));
        Assert.Equal(["a"], h.Engine.Rules.Definitions.Select(r => r.Id));
    }

    [Fact]
    public void Disabling_clears_an_active_rule_and_enabling_starts_it_afresh()
    {
        var h = new RuleHarness(Hot(actions: new AlarmAction()));
        h.Send(0, "temperature", 90);
        Assert.True(h.Engine.Disable("hot"));
        Assert.Equal("hot:Cleared:Disabled", $"{h.Sink.Transitions[^1].RuleId}:{h.Sink.Transitions[^1].Kind}:{h.Sink.Transitions[^1].Reason}");
        Assert.Equal(TransitionKind.Cleared, h.Sink.Actions[^1].Transition.Kind);
        h.Send(1, "temperature", 95);
        Assert.Equal(2, h.Sink.Transitions.Count);
        Assert.False(h.Engine.Rules.Find("hot")!.Enabled);

        Assert.True(h.Engine.Enable("hot"));
        h.Send(2, "temperature", 96);
        Assert.Equal(3, h.Sink.Transitions.Count);
        Assert.False(h.Engine.Enable("missing"));
    }

    [Fact]
    public void A_failing_sink_is_counted_and_does_not_reach_the_caller()
    {
        var engine = new RuleEngine(new ThrowingSink());
        engine.Apply([Hot()]);
        engine.Process("press-1", "temperature", new Sample(1, 90.0));
        Assert.Equal(1, engine.SinkFailures);
    }

    [Fact]
    public async Task Concurrent_writers_for_different_devices_and_a_concurrent_rule_set_swap_lose_no_transition()
    {
        var sink = new RecordingSink();
        var engine = new RuleEngine(sink);
        engine.Apply([Rule("hot", new ThresholdCondition("temperature", RaiseAbove: 80, ClearBelow: 70))]);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
                engine.Process($"press-{w}", "temperature", new Sample(i, i % 2 == 0 ? 90.0 : 60.0));
        })).ToArray();
        for (var i = 0; i < 50; i++)
            engine.Apply([Rule("hot", new ThresholdCondition("temperature", RaiseAbove: 80, ClearBelow: 70)), Hot($"other-{i}")]);
        await Task.WhenAll(writers);
        Assert.Equal(4 * 2_000, sink.Transitions.Count(t => t.RuleId == "hot"));
    }

    private sealed class ThrowingSink : IRuleActionSink
    {
        public void OnTransition(RuleTransition transition) => throw new InvalidOperationException("sink down");

        public void Execute(RuleActionRequest request) => throw new InvalidOperationException("sink down");
    }
}
