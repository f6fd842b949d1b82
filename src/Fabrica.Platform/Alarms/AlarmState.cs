using System.Text.Json.Serialization;

namespace Fabrica.Platform.Alarms;

/// <summary>
/// The states of an alarm in ANSI/ISA-18.2 (IEC 62682) §11, figure 7 — without the shelved, suppressed-by-design and
/// out-of-service states, which Fabrica keeps beside the state (<see cref="Alarm.ShelvedUntil"/>) so that an alarm
/// shelved while active still tracks its process condition.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlarmState>))]
public enum AlarmState
{
    /// <summary>Normal (A): the condition is clear and acknowledged; the alarm is closed.</summary>
    [JsonStringEnumMemberName("normal")] Normal = 0,

    /// <summary>Unacknowledged (B): the condition is active and nobody has acknowledged it.</summary>
    [JsonStringEnumMemberName("activeUnacknowledged")] ActiveUnacknowledged = 1,

    /// <summary>Acknowledged (C): the condition is active, an operator has acknowledged it.</summary>
    [JsonStringEnumMemberName("activeAcknowledged")] ActiveAcknowledged = 2,

    /// <summary>Return to normal unacknowledged (D): the condition cleared before anyone acknowledged it.</summary>
    [JsonStringEnumMemberName("clearedUnacknowledged")] ClearedUnacknowledged = 3,
}

/// <summary>
/// Whether an alarm point (a rule on an asset) annunciates (ANSI/ISA-18.2 §11, states G "suppressed by design" and
/// H "out of service"), kept beside <see cref="AlarmState"/> as shelving is. Both are engineering decisions, not an
/// operator's: suppressed alarms are still raised and tracked but left out of the active lists and the flood rate;
/// out of service removes the point — its open alarm is closed and its rule raises nothing until it returns to service.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlarmSuppression>))]
public enum AlarmSuppression
{
    [JsonStringEnumMemberName("inService")] InService = 0,
    [JsonStringEnumMemberName("suppressed")] Suppressed = 1,
    [JsonStringEnumMemberName("outOfService")] OutOfService = 2,
}

/// <summary>An alarm point taken out of normal service: by whom, since when, why.</summary>
public sealed record AlarmPoint(string RuleId, string AssetId, string AssetPath, AlarmSuppression Mode, long Since, string By, string? Comment);

/// <summary>The transitions of <see cref="AlarmState"/>, as pure functions (property-tested).</summary>
public static class AlarmStateMachine
{
    /// <summary>The process condition became active: B from A or D (re-alarm); B and C stay.</summary>
    public static AlarmState Raise(AlarmState state) => state switch
    {
        AlarmState.Normal or AlarmState.ClearedUnacknowledged => AlarmState.ActiveUnacknowledged,
        _ => state,
    };

    /// <summary>The condition returned to normal: B → D, C → A; A and D stay.</summary>
    public static AlarmState Clear(AlarmState state) => state switch
    {
        AlarmState.ActiveUnacknowledged => AlarmState.ClearedUnacknowledged,
        AlarmState.ActiveAcknowledged => AlarmState.Normal,
        _ => state,
    };

    /// <summary>An operator acknowledged: B → C, D → A. False (and no change) when there is nothing to acknowledge.</summary>
    public static bool TryAcknowledge(AlarmState state, out AlarmState next)
    {
        next = state switch
        {
            AlarmState.ActiveUnacknowledged => AlarmState.ActiveAcknowledged,
            AlarmState.ClearedUnacknowledged => AlarmState.Normal,
            _ => state,
        };
        return next != state;
    }

    public static bool IsActive(AlarmState state) => state is AlarmState.ActiveUnacknowledged or AlarmState.ActiveAcknowledged;

    public static bool IsUnacknowledged(AlarmState state) => state is AlarmState.ActiveUnacknowledged or AlarmState.ClearedUnacknowledged;
}
