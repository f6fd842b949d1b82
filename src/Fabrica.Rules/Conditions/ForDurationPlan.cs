namespace Fabrica.Rules;

/// <summary>
/// True once the inner condition has held for the duration. Samples measure it on their own timestamps; ticks measure
/// it on the engine's clock from the arrival of the first true sample, so a skewed device clock cannot make a tick
/// fire early or late. Any sample that makes the inner condition false resets it.
/// </summary>
internal sealed class ForDurationPlan(ConditionPlan inner, long durationMs) : ConditionPlan
{
    private const long NotStarted = long.MinValue;

    public override bool UsesClock => true;

    public override ConditionState CreateState(long now) => new State(inner.CreateState(now), durationMs);

    private sealed class State(ConditionState inner, long durationMs) : ConditionState
    {
        private long _startTimestamp = NotStarted;
        private long _startArrival = NotStarted;

        public override void OnSample(in ConditionInput input)
        {
            inner.OnSample(input);
            if (!inner.Active)
            {
                Reset();
                return;
            }
            if (_startTimestamp == NotStarted)
            {
                _startTimestamp = input.Timestamp;
                _startArrival = input.Now;
            }
            Active = Active || input.Timestamp - _startTimestamp >= durationMs;
        }

        public override void OnTick(long now)
        {
            inner.OnTick(now);
            if (!inner.Active)
            {
                Reset();
                return;
            }
            if (_startArrival == NotStarted)
            {
                _startArrival = now;
                _startTimestamp = now;
            }
            Active = Active || now - _startArrival >= durationMs;
        }

        private void Reset()
        {
            _startTimestamp = NotStarted;
            _startArrival = NotStarted;
            Active = false;
        }
    }
}
