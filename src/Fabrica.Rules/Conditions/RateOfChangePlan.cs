namespace Fabrica.Rules;

/// <summary>
/// Rate of change in units per second: (newest − oldest) / (their time difference in s) over the samples of the last
/// window, by sample timestamps. Needs two samples at different times in the window; until then the state holds.
/// </summary>
internal sealed class RateOfChangePlan(int slot, long windowMs, Limits limits) : ConditionPlan
{
    /// <summary>Most samples one window keeps; a faster series loses its oldest samples first (documented).</summary>
    public const int MaxSamples = 100_000;

    public int Slot { get; } = slot;

    public long WindowMs { get; } = windowMs;

    public Hysteresis Band { get; } = new(limits);

    public override ConditionState CreateState(long now) => new State(this);

    private sealed class State(RateOfChangePlan plan) : ConditionState
    {
        private readonly SampleWindow _window = new(MaxSamples);

        public override void OnSample(in ConditionInput input)
        {
            if (input.Slot != plan.Slot)
                return;
            var value = input.Number(plan.Slot);
            if (double.IsNaN(value))
                return;
            _window.Add(input.Timestamp, value);
            _window.RemoveOlderThan(input.Timestamp - plan.WindowMs, keep: 1);
            var seconds = (input.Timestamp - _window.OldestTimestamp) / 1000.0;
            if (seconds <= 0)
                return;
            Active = plan.Band.Next(Active, (value - _window.OldestValue) / seconds);
        }
    }
}
