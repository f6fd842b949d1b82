using System.Text.Json.Serialization;

namespace Fabrica.Rules;

/// <summary>
/// What happens on a transition. Declared here, executed by the host through <see cref="IRuleActionSink"/>
/// (the edge writes Modbus coils and registers, the platform raises alarms and sends commands).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(AlarmAction), "alarm")]
[JsonDerivedType(typeof(WriteTagAction), "writeTag")]
[JsonDerivedType(typeof(EmitEventAction), "emitEvent")]
[JsonDerivedType(typeof(SetTagAction), "setTag")]
public abstract record RuleAction
{
    /// <summary>Which transitions run the action. Alarms ignore it: they are raised on activation and cleared on clearing.</summary>
    public ActionTrigger On { get; init; } = ActionTrigger.Activated;
}

public enum ActionTrigger
{
    [JsonStringEnumMemberName("activated")] Activated,
    [JsonStringEnumMemberName("cleared")] Cleared,
    [JsonStringEnumMemberName("both")] Both,
}

/// <summary>Raise an alarm when the rule activates and clear it when the rule clears.</summary>
/// <param name="Severity">Overrides the rule's severity.</param>
/// <param name="Priority">Overrides the rule's priority (1–4).</param>
public sealed record AlarmAction(string? Message = null, RuleSeverity? Severity = null, int? Priority = null) : RuleAction;

/// <summary>
/// Write a value to a device tag: a Modbus coil or register at the edge, a command through the platform.
/// <see cref="Value"/> is an expression over the rule's scope (<c>0</c>, <c>true</c>, <c>setpoint - 5</c>).
/// <see cref="Device"/> defaults to the device of the rule instance.
/// </summary>
public sealed record WriteTagAction(string Tag, string Value, string? Device = null) : RuleAction;

/// <summary>Emit an event describing the transition to an MQTT topic or a webhook.</summary>
public sealed record EmitEventAction(EventTarget Target, string? Topic = null, string? Url = null, string? Name = null) : RuleAction;

public enum EventTarget
{
    [JsonStringEnumMemberName("mqtt")] Mqtt,
    [JsonStringEnumMemberName("webhook")] Webhook,
}

/// <summary>Set a computed tag (in the edge's or twin's own tags, not on the device) to the value of an expression.</summary>
public sealed record SetTagAction(string Tag, string Value) : RuleAction;
