namespace Fabrica.Rules;

/// <summary>
/// No data for a while, on the engine's clock: active from the first tick at which nothing usable has arrived for
/// the duration (counting from the instance's creation), cleared by the next sample.
/// </summary>
internal sealed class StalePlan(int slot, long afterMs) : ConditionPlan
{
    public override bool UsesClock => true;

    public override ConditionState CreateState(long now) => new State(slot, afterMs, now);

    private sealed class State(int slot, long afterMs, long created) : ConditionState
    {
        private long _lastArrival = created;

        public override void OnSample(in ConditionInput input)
        {
            if (input.Slot != slot)
                return;
            _lastArrival = input.Now;
            Active = false;
        }

        public override void OnTick(long now) => Active = now - _lastArrival >= afterMs;
    }
}
