using System.Text.Json.Serialization;

namespace Fabrica.Rules;

public enum TransitionKind
{
    [JsonStringEnumMemberName("activated")] Activated,
    [JsonStringEnumMemberName("cleared")] Cleared,
}

/// <summary>Why a rule instance changed state.</summary>
public enum TransitionReason
{
    /// <summary>The condition became true or false.</summary>
    [JsonStringEnumMemberName("condition")] Condition,
    /// <summary>The rule was disabled while active.</summary>
    [JsonStringEnumMemberName("disabled")] Disabled,
    /// <summary>A new rule set no longer contains the rule.</summary>
    [JsonStringEnumMemberName("removed")] Removed,
    /// <summary>A new rule set changed the rule; the new version starts from a fresh state.</summary>
    [JsonStringEnumMemberName("replaced")] Replaced,
}

/// <summary>A scope tag's value when the transition happened.</summary>
public readonly record struct TriggerValue(string Tag, SampleValue Value, long Timestamp);

/// <summary>
/// A rule instance became active or cleared: the start and end of an alarm's life. <see cref="Timestamp"/> is the
/// triggering sample's timestamp, or the engine's clock for transitions found by a tick (stale, for-duration) or
/// caused by a rule change. <see cref="Values"/> holds every scope tag that has a value, the triggering one included.
/// </summary>
/// <param name="Device">The instance's device for a per-device rule; null for a rule over fixed series.</param>
/// <param name="ActiveSince">For a clearing, when the activation it ends began.</param>
public sealed record RuleTransition(
    string RuleId,
    string RuleName,
    string? Device,
    TransitionKind Kind,
    TransitionReason Reason,
    long Timestamp,
    RuleSeverity Severity,
    int Priority,
    IReadOnlyList<TriggerValue> Values,
    long? ActiveSince = null)
{
    /// <summary>The JSON shape used for emitted events (docs/rules.md, "Events").</summary>
    public RuleTransitionMessage ToMessage(string? eventName = null) => new(
        eventName ?? RuleId, RuleId, RuleName, Device, Kind, Reason, Timestamp, Severity, Priority,
        Values.ToDictionary(v => v.Tag, v => new TriggerValueMessage(v.Value, v.Timestamp), StringComparer.Ordinal),
        ActiveSince);
}

/// <summary>The payload of an emitted event, as published to MQTT or posted to a webhook.</summary>
public sealed record RuleTransitionMessage(
    string Event,
    string RuleId,
    string RuleName,
    string? Device,
    TransitionKind Kind,
    TransitionReason Reason,
    long Timestamp,
    RuleSeverity Severity,
    int Priority,
    IReadOnlyDictionary<string, TriggerValueMessage> Values,
    long? ActiveSince = null);

public sealed record TriggerValueMessage(
    [property: JsonConverter(typeof(SampleValueJsonConverter))] SampleValue Value,
    long Timestamp);
