namespace Fabrica.Rules;

/// <summary>What a condition sees when a sample arrives: the rule instance's values and which slot just changed.</summary>
internal readonly ref struct ConditionInput(ReadOnlySpan<SampleValue> values, int slot, long timestamp, long now)
{
    /// <summary>Latest value per scope tag; a tag without a value yet holds <c>default</c> (read as NaN).</summary>
    public ReadOnlySpan<SampleValue> Values { get; } = values;

    /// <summary>The slot of the sample being evaluated.</summary>
    public int Slot { get; } = slot;

    /// <summary>The sample's own timestamp (UTC Unix ms).</summary>
    public long Timestamp { get; } = timestamp;

    /// <summary>The engine's clock at arrival (UTC Unix ms).</summary>
    public long Now { get; } = now;

    public double Number(int slot) => TagReference.ToNumber(Values[slot]);
}

/// <summary>The compiled, immutable part of a condition; shared by every instance of a rule.</summary>
internal abstract class ConditionPlan
{
    /// <summary>True when the condition can change on <see cref="ConditionState.OnTick"/> (stale, for-duration).</summary>
    public virtual bool UsesClock => false;

    public abstract ConditionState CreateState(long now);
}

/// <summary>A condition's mutable state in one rule instance; updated sample by sample under the instance's lock.</summary>
internal abstract class ConditionState
{
    /// <summary>The condition's current truth.</summary>
    public bool Active { get; protected set; }

    public abstract void OnSample(in ConditionInput input);

    public virtual void OnTick(long now)
    {
    }
}
