using System.Text.Json.Serialization;
using Fabrica.Rules;

namespace Fabrica.Platform.Alarms;

/// <summary>
/// One alarm: raised by a rule on an asset, alive until it is clear and acknowledged (<see cref="AlarmState.Normal"/>),
/// then closed and kept as history. A rule re-activating before its alarm is closed re-raises the same alarm
/// (<see cref="Occurrences"/> counts); after it is closed, it raises a new one.
/// </summary>
/// <param name="Priority">1 (most urgent) to 4, from the rule or its alarm action.</param>
/// <param name="ShelvedUntil">While set and in the future, the alarm is shelved: hidden from active lists, still tracked.</param>
/// <param name="Values">The rule's scope tags when it last activated.</param>
/// <param name="Suppression">Set when the alarm's point is suppressed or out of service (ISA-18.2 states G, H); absent in service.</param>
public sealed record Alarm(
    string Id,
    string RuleId,
    string AssetId,
    string AssetPath,
    string Message,
    AlarmState State,
    int Priority,
    [property: JsonConverter(typeof(JsonStringEnumConverter<RuleSeverity>))] RuleSeverity Severity,
    long RaisedAt,
    long ChangedAt,
    int Occurrences = 1,
    long? ClearedAt = null,
    long? AcknowledgedAt = null,
    string? AcknowledgedBy = null,
    string? AcknowledgeComment = null,
    long? ShelvedUntil = null,
    string? ShelvedBy = null,
    string? ShelveComment = null,
    long? ClosedAt = null,
    IReadOnlyDictionary<string, Twins.TagReading>? Values = null,
    AlarmSuppression? Suppression = null)
{
    [JsonIgnore]
    public bool IsActive => AlarmStateMachine.IsActive(State);

    public bool IsShelved(long now) => ShelvedUntil is { } until && until > now;
}

/// <summary>One entry of an alarm's history: what happened, when, by whom.</summary>
/// <param name="Kind"><c>raised</c>, <c>reraised</c>, <c>cleared</c>, <c>acknowledged</c>, <c>shelved</c>, <c>unshelved</c>, <c>shelve-expired</c>, <c>reset</c>, <c>suppressed</c>, <c>out-of-service</c>, <c>returned-to-service</c>.</param>
/// <param name="Actor">The rule (<c>rule:id</c>), a person's token (<c>token:id (name)</c>), or <c>system</c>.</param>
public sealed record AlarmEvent(long Seq, string AlarmId, string AssetId, long Time, string Kind, AlarmState State, string Actor, string? Comment);

/// <summary>Which alarms to list.</summary>
/// <param name="State">One state, or null for every open (not normal) alarm; <see cref="AlarmState.Normal"/> lists recently closed ones.</param>
/// <param name="AssetPath">Only alarms of assets at or below this path.</param>
/// <param name="Suppressed">true: only alarms of suppressed points; false: only alarms in service; null: both.</param>
public sealed record AlarmQuery(AlarmState? State = null, int? Priority = null, string? AssetPath = null, bool? Shelved = null, int Limit = 1000, bool? Suppressed = null);
