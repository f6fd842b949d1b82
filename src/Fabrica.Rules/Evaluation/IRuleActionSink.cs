namespace Fabrica.Rules;

/// <summary>
/// Where the engine delivers what rules decide; the host executes it (the edge writes Modbus coils and registers and
/// publishes events, the platform drives the alarm lifecycle and sends commands). Called on the thread that
/// evaluated the sample or tick, under the rule instance's lock, in transition order: implementations must not
/// block (hand work to a bounded channel) and must not throw (exceptions are caught, logged and counted).
/// </summary>
public interface IRuleActionSink
{
    /// <summary>Every activation and clearing, before the actions it runs.</summary>
    void OnTransition(RuleTransition transition);

    /// <summary>One declared action whose trigger matches the transition.</summary>
    void Execute(RuleActionRequest request);
}

/// <summary>
/// An action to carry out. For <see cref="AlarmAction"/>, <c>Transition.Kind</c> says raise or clear. For
/// <see cref="WriteTagAction"/>, <see cref="Device"/> is the resolved target device and <see cref="Value"/> the
/// evaluated value; for <see cref="SetTagAction"/> the value. <see cref="EmitEventAction"/> publishes
/// <c>Transition.ToMessage(action.Name)</c>.
/// </summary>
public sealed record RuleActionRequest(RuleTransition Transition, RuleAction Action, string? Device = null, SampleValue? Value = null);
