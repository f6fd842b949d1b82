namespace Fabrica.Rules;

/// <summary>A validated rule ready to evaluate: slots for its scope, its condition plan and its actions.</summary>
internal sealed class CompiledRule
{
    public required RuleDefinition Definition { get; init; }

    public string Id => Definition.Id;

    /// <summary>Scope entries as written; slot i holds the value of entry i.</summary>
    public required string[] Slots { get; init; }

    /// <summary>The tag part of each slot (the entry itself for a per-device rule).</summary>
    public required string[] SlotTags { get; init; }

    /// <summary>The device part of each slot for a rule over fixed series; null entries for a per-device rule.</summary>
    public required string?[] SlotDevices { get; init; }

    /// <summary>True when the rule has one instance per device; false when it reads fixed device/tag series.</summary>
    public required bool PerDevice { get; init; }

    public required ConditionPlan Condition { get; init; }

    public required CompiledAction[] Actions { get; init; }

    /// <summary>The rule's JSON with <c>enabled</c> normalised: equal fingerprints keep state across a rule set replacement.</summary>
    public required string Fingerprint { get; init; }
}

/// <summary>A declared action with its value expression compiled against the rule's scope.</summary>
internal sealed record CompiledAction(RuleAction Definition, RuleExpression? Value)
{
    public bool RunsOn(TransitionKind kind) => Definition is AlarmAction || Definition.On switch
    {
        ActionTrigger.Activated => kind == TransitionKind.Activated,
        ActionTrigger.Cleared => kind == TransitionKind.Cleared,
        _ => true,
    };
}

/// <summary>Options for compiling rules.</summary>
/// <param name="KnownTags">
/// When set, every scope entry must be in it (plain tags for per-device rules, <c>device/tag</c> for fixed series):
/// the edge passes the tags of its configuration, so that a typo is reported instead of a rule that never fires.
/// </param>
public sealed record RuleCompileOptions(IReadOnlySet<string>? KnownTags = null);
