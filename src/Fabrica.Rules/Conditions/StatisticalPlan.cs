namespace Fabrica.Rules;

/// <summary>
/// Outlier against the recent past: the new value is compared with mean ± k·σ (sample standard deviation) of the
/// values before it in the window, then joins the window. With σ = 0 any different value is an outlier.
/// </summary>
internal sealed class StatisticalPlan(int slot, double k, double clearK, int samples, long windowMs, int minSamples) : ConditionPlan
{
    public override ConditionState CreateState(long now) => new State(this);

    private sealed class State(StatisticalPlan plan) : ConditionState
    {
        private readonly SampleWindow _window = new(plan._samples);

        public override void OnSample(in ConditionInput input)
        {
            if (input.Slot != plan._slot)
                return;
            var value = input.Number(plan._slot);
            if (double.IsNaN(value))
                return;
            if (plan._windowMs > 0)
                _window.RemoveOlderThan(input.Timestamp - plan._windowMs);
            if (_window.Count >= plan._minSamples)
            {
                var deviation = Math.Abs(value - _window.Mean);
                var sigma = _window.StandardDeviation;
                Active = Active ? deviation > plan._clearK * sigma : deviation > plan._k * sigma;
            }
            _window.Add(input.Timestamp, value);
        }
    }

    private readonly int _slot = slot;
    private readonly double _k = k;
    private readonly double _clearK = clearK;
    private readonly int _samples = samples;
    private readonly long _windowMs = windowMs;
    private readonly int _minSamples = minSamples;
}
