namespace Fabrica.Rules;

/// <summary>A boolean expression, evaluated once every tag it reads has a value.</summary>
internal sealed class ExpressionPlan(RuleExpression expression, int[] slots) : ConditionPlan
{
    public RuleExpression Expression { get; } = expression;

    public int[] Slots { get; } = slots;

    public override ConditionState CreateState(long now) => new State(this);

    private sealed class State(ExpressionPlan plan) : ConditionState
    {
        private bool _complete;

        public override void OnSample(in ConditionInput input)
        {
            if (!_complete)
            {
                foreach (var slot in plan.Slots)
                {
                    if (input.Values[slot].Kind == 0)
                        return;
                }
                _complete = true;
            }
            Active = plan.Expression.IsTrue(input.Values);
        }
    }
}
