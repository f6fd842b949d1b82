using System.Text.Json.Serialization;

namespace Fabrica.Rules;

/// <summary>
/// When a rule is active. The JSON form carries a <c>kind</c> discriminator (docs/rules.md, "Conditions").
/// Durations are written as in the rest of Fabrica: <c>500ms</c>, <c>10s</c>, <c>5m</c>, <c>1h</c>.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ThresholdCondition), "threshold")]
[JsonDerivedType(typeof(ForDurationCondition), "for")]
[JsonDerivedType(typeof(RateOfChangeCondition), "rateOfChange")]
[JsonDerivedType(typeof(StaleCondition), "stale")]
[JsonDerivedType(typeof(ExpressionCondition), "expression")]
[JsonDerivedType(typeof(StatisticalCondition), "statistical")]
public abstract record RuleCondition;

/// <summary>
/// Limits with hysteresis, shared by threshold, rate of change and their kin. High side: active above
/// <see cref="RaiseAbove"/>, cleared once below <see cref="ClearBelow"/> (defaults to RaiseAbove: no deadband).
/// Low side: active below <see cref="RaiseBelow"/>, cleared once above <see cref="ClearAbove"/>. Either side or both.
/// </summary>
public sealed record Limits(double? RaiseAbove = null, double? ClearBelow = null, double? RaiseBelow = null, double? ClearAbove = null);

/// <summary>A tag's value against limits with a deadband: <c>raise above H, clear below L</c>.</summary>
public sealed record ThresholdCondition(string Tag, double? RaiseAbove = null, double? ClearBelow = null, double? RaiseBelow = null, double? ClearAbove = null)
    : RuleCondition
{
    internal Limits Limits => new(RaiseAbove, ClearBelow, RaiseBelow, ClearAbove);
}

/// <summary>Active once the inner condition has been true continuously for <see cref="Duration"/>; a false sample resets it.</summary>
public sealed record ForDurationCondition(
    [property: JsonConverter(typeof(DurationJsonConverter))] TimeSpan Duration,
    RuleCondition Condition) : RuleCondition;

/// <summary>
/// The tag's rate of change in units per second over <see cref="Window"/> (last value minus the oldest in the window,
/// over their time difference), against limits.
/// </summary>
public sealed record RateOfChangeCondition(
    string Tag,
    [property: JsonConverter(typeof(DurationJsonConverter))] TimeSpan Window,
    double? RaiseAbove = null,
    double? ClearBelow = null,
    double? RaiseBelow = null,
    double? ClearAbove = null) : RuleCondition
{
    internal Limits Limits => new(RaiseAbove, ClearBelow, RaiseBelow, ClearAbove);
}

/// <summary>
/// No data: active when no sample of good or uncertain quality has arrived for <see cref="After"/>, measured on the
/// engine's clock (arrival, not the device's timestamps); evaluated by <see cref="RuleEngine.Tick"/>.
/// </summary>
public sealed record StaleCondition(
    string Tag,
    [property: JsonConverter(typeof(DurationJsonConverter))] TimeSpan After) : RuleCondition;

/// <summary>A boolean expression over several tags, e.g. <c>temperature &gt; 80 &amp;&amp; [coolant flow] &lt; 2</c>.</summary>
public sealed record ExpressionCondition(string Expression) : RuleCondition;

/// <summary>
/// The tag's value lies outside mean ± <see cref="K"/>·σ of the previous values in a rolling window of
/// <see cref="Samples"/> samples or of duration <see cref="Window"/> (one of the two). Clears inside mean ±
/// <see cref="ClearK"/>·σ (defaults to K). Needs <see cref="MinSamples"/> values in the window before it judges.
/// </summary>
public sealed record StatisticalCondition(
    string Tag,
    double K,
    int? Samples = null,
    [property: JsonConverter(typeof(NullableDurationJsonConverter))] TimeSpan? Window = null,
    double? ClearK = null,
    int MinSamples = 10) : RuleCondition;
