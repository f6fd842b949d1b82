using CsCheck;
using static Fabrica.Rules.Tests.RuleHarness;

namespace Fabrica.Rules.Tests.Conditions;

public sealed class ConditionTests
{
    [Fact]
    public void Threshold_with_hysteresis_raises_above_the_limit_and_clears_only_below_the_deadband()
    {
        var h = new RuleHarness(Rule("hot", new ThresholdCondition("temperature", RaiseAbove: 80, ClearBelow: 75)));
        double[] values = [70, 79, 81, 79, 76, 80.5, 77, 74, 78, 79.9, 81];
        for (var i = 0; i < values.Length; i++)
            h.Send(i, "temperature", values[i]);
        Assert.Equal("+2 -7 +10", h.History);
    }

    [Fact]
    public void Threshold_with_hysteresis_does_not_chatter_on_noise_around_the_limit() =>
        Gen.Double[-1, 1].Array[200].Sample(noise =>
        {
            var h = new RuleHarness(Rule("hot", new ThresholdCondition("temperature", RaiseAbove: 80, ClearBelow: 78)));
            for (var i = 0; i < noise.Length; i++)
                h.Send(i, "temperature", 80 + noise[i]); // noise of ±1 never reaches the clear level of 78
            Assert.True(h.Sink.Transitions.Count <= 1);
        }, iter: 50);

    [Fact]
    public void Low_side_limits_raise_below_and_clear_above()
    {
        var h = new RuleHarness(Rule("low-pressure", new ThresholdCondition("pressure", RaiseBelow: 2, ClearAbove: 2.5), ["pressure"]));
        double[] values = [3, 1.9, 2.2, 2.6, 2.1, 1.5];
        for (var i = 0; i < values.Length; i++)
            h.Send(i, "pressure", values[i]);
        Assert.Equal("+1 -3 +5", h.History);
    }

    [Fact]
    public void Bad_quality_samples_neither_raise_nor_clear()
    {
        var h = new RuleHarness(Rule("hot", new ThresholdCondition("temperature", RaiseAbove: 80)));
        h.Send(0, "temperature", 90, quality: Quality.Bad);
        h.Send(1, "temperature", 90);
        h.Send(2, "temperature", 10, quality: Quality.Bad);
        Assert.Equal("+1", h.History);
    }

    [Fact]
    public void Late_samples_are_not_evaluated()
    {
        var h = new RuleHarness(Rule("hot", new ThresholdCondition("temperature", RaiseAbove: 80)));
        h.Send(10, "temperature", 70);
        h.Engine.Process("press-1", "temperature", new Sample(Ms(5), 95.0));
        Assert.Empty(h.Sink.Transitions);
    }

    [Fact]
    public void For_duration_fires_only_after_the_condition_held_continuously_and_resets_on_a_false_sample()
    {
        var h = new RuleHarness(Rule("hot-for-10s", new ForDurationCondition(TimeSpan.FromSeconds(10), new ThresholdCondition("temperature", RaiseAbove: 80))));
        h.Send(0, "temperature", 85);
        h.Send(6, "temperature", 86);
        h.Send(8, "temperature", 70); // false: resets the clock
        h.Send(9, "temperature", 85);
        h.Send(18, "temperature", 85);
        Assert.Equal("", h.History);
        h.Send(19, "temperature", 85);
        Assert.Equal("+19", h.History);
        h.Send(20, "temperature", 60);
        Assert.Equal("+19 -20", h.History);
    }

    [Fact]
    public void For_duration_fires_on_a_tick_when_no_further_sample_arrives()
    {
        var h = new RuleHarness(Rule("hot-for-10s", new ForDurationCondition(TimeSpan.FromSeconds(10), new ThresholdCondition("temperature", RaiseAbove: 80))));
        h.Send(0, "temperature", 85);
        h.TickAt(9.9);
        Assert.Equal("", h.History);
        h.TickAt(10);
        h.TickAt(11);
        Assert.Equal("+10", h.History);
    }

    [Fact]
    public void Rate_of_change_is_measured_per_second_over_the_window_by_sample_timestamps()
    {
        var h = new RuleHarness(Rule("heating-fast", new RateOfChangeCondition("temperature", TimeSpan.FromSeconds(10), RaiseAbove: 1.0, ClearBelow: 0.5)));
        // 0.5 °C/s for 20 s, then 2 °C/s, then flat.
        var t = 0;
        var value = 20.0;
        for (; t <= 20; t++, value += 0.5)
            h.Send(t, "temperature", value);
        Assert.Equal("", h.History);
        for (; t <= 30; t++, value += 2)
            h.Send(t, "temperature", value);
        Assert.StartsWith("+", h.History, StringComparison.Ordinal);
        var raisedAt = (h.Sink.Transitions[0].Timestamp - Ms(0)) / 1000.0;
        Assert.InRange(raisedAt, 22, 27); // mean rate over the last 10 s passes 1 °C/s after a few seconds
        for (; t <= 60; t++)
            h.Send(t, "temperature", value);
        Assert.Equal(2, h.Sink.Transitions.Count);
        Assert.Equal(TransitionKind.Cleared, h.Sink.Transitions[1].Kind);
    }

    [Fact]
    public void Rate_of_change_of_a_falling_value_uses_the_low_limit()
    {
        var h = new RuleHarness(Rule("level-dropping", new RateOfChangeCondition("level", TimeSpan.FromSeconds(4), RaiseBelow: -1), ["level"]));
        double[] levels = [100, 100, 99.5, 97, 94, 91, 91, 91, 91, 91, 91];
        for (var i = 0; i < levels.Length; i++)
            h.Send(i, "level", levels[i]);
        Assert.Equal("+4 -8", h.History); // at 8 s the window holds 94 → 91 over 4 s: −0.75/s
    }

    [Fact]
    public void Stale_fires_once_when_no_data_arrives_and_clears_on_the_next_sample()
    {
        var h = new RuleHarness(Rule("no-data", new StaleCondition("temperature", TimeSpan.FromSeconds(30))));
        h.Send(0, "temperature", 20);
        h.TickAt(10);
        h.Send(15, "temperature", 21);
        h.TickAt(44);
        Assert.Equal("", h.History);
        for (var s = 45; s < 120; s += 5)
            h.TickAt(s);
        Assert.Equal("+45", h.History);
        Assert.Single(h.Sink.Transitions);
        h.Send(121, "temperature", 22);
        Assert.Equal("+45 -121", h.History);
    }

    [Fact]
    public void Stale_over_a_fixed_series_fires_even_if_the_series_never_reported()
    {
        var h = new RuleHarness(Rule("no-data", new StaleCondition("pump-1/flow", TimeSpan.FromSeconds(5)), ["pump-1/flow"]));
        h.TickAt(4);
        h.TickAt(5);
        Assert.Equal("+5", h.History);
        Assert.Null(h.Sink.Transitions[0].Device);
    }

    [Fact]
    public void Expression_over_several_tags_waits_for_every_tag_and_follows_each_update()
    {
        var h = new RuleHarness(Rule("overload",
            new ExpressionCondition("voltage * current * 1.732 * pf / 1000 > [rated kw]"),
            ["voltage", "current", "pf", "rated kw"]));
        h.Send(0, "voltage", 400);
        h.Send(0, "current", 20);
        h.Send(0, "pf", 0.9);
        Assert.Equal("", h.History); // rated kw still missing: not evaluated
        h.Send(1, "rated kw", 15);
        Assert.Equal("", h.History); // 400 V · 20 A · √3 · 0.9 = 12.5 kW
        h.Send(2, "current", 30);
        Assert.Equal("+2", h.History); // 18.7 kW
        h.Send(3, "pf", 0.5);
        Assert.Equal("+2 -3", h.History); // 10.4 kW
        Assert.Equal(["voltage", "current", "pf", "rated kw"], h.Sink.Transitions[0].Values.Select(v => v.Tag));
        Assert.Equal(30.0, h.Sink.Transitions[0].Values[1].Value.AsDouble());
    }

    [Fact]
    public void Statistical_flags_a_value_outside_mean_plus_minus_k_sigma_of_the_previous_window()
    {
        // Known series: 0,1,0,1,... (mean 0.5, sample σ ≈ 0.513 over 10), then 2.5 (3.9σ), then back.
        var h = new RuleHarness(Rule("vibration-outlier", new StatisticalCondition("vibration", K: 3, Samples: 10), ["vibration"]));
        for (var i = 0; i < 10; i++)
            h.Send(i, "vibration", i % 2);
        h.Send(10, "vibration", 1.9); // 2.73σ: inside
        Assert.Equal("", h.History);
        h.Send(11, "vibration", 3.5); // far outside
        Assert.Equal("+11", h.History);
        h.Send(12, "vibration", 0.5);
        Assert.Equal("+11 -12", h.History);
    }

    [Fact]
    public void Statistical_over_a_time_window_forgets_old_values()
    {
        var h = new RuleHarness(Rule("drift", new StatisticalCondition("vibration", K: 4, Window: TimeSpan.FromSeconds(20), MinSamples: 5), ["vibration"]));
        for (var i = 0; i < 30; i++)
            h.Send(i, "vibration", 10 + (i % 3) * 0.1);
        Assert.Equal("", h.History);
        h.Send(30, "vibration", 12); // outside mean ± 4σ of the last 20 s
        Assert.Equal("+30", h.History);
        // Once the window holds only the new level, it is no longer an outlier.
        for (var i = 31; i < 100; i++)
            h.Send(i, "vibration", 12 + (i % 3) * 0.1);
        Assert.Equal(TransitionKind.Cleared, h.Sink.Transitions[^1].Kind);
        Assert.True(h.Sink.Transitions[^1].Timestamp <= Ms(51));
        Assert.Empty(h.Engine.ActiveRules());
    }
}
