namespace Fabrica.Rules;

internal sealed class ThresholdPlan(int slot, Limits limits) : ConditionPlan
{
    public int Slot { get; } = slot;

    public Hysteresis Band { get; } = new(limits);

    public override ConditionState CreateState(long now) => new State(this);

    private sealed class State(ThresholdPlan plan) : ConditionState
    {
        public override void OnSample(in ConditionInput input)
        {
            if (input.Slot == plan.Slot)
                Active = plan.Band.Next(Active, input.Number(plan.Slot));
        }
    }
}
