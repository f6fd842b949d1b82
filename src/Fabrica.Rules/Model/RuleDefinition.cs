using System.Text.Json.Serialization;

namespace Fabrica.Rules;

/// <summary>
/// One rule as users write it (docs/rules.md): what it reads, when it is active, and what happens when it becomes
/// active or clears. A definition is only data; <see cref="RuleSet.Compile(IEnumerable{RuleDefinition}, RuleCompileOptions?, string?)"/> validates and compiles it.
/// </summary>
/// <param name="Id">Stable identifier: letters, digits, '-', '_', '.' (as a device id), at most 128 characters.</param>
/// <param name="Scope">
/// The tags the rule reads. A plain tag (<c>temperature</c>) gives one rule instance per device that reports that
/// tag; a qualified tag (<c>pump-1/temperature</c>) names one series, and such a rule has a single instance.
/// A rule uses one form or the other, not both.
/// </param>
/// <param name="Priority">1 (most urgent) to 4, as ISA-18.2 alarm priorities.</param>
public sealed record RuleDefinition(
    string Id,
    string Name,
    IReadOnlyList<string> Scope,
    RuleCondition Condition,
    IReadOnlyList<RuleAction> Actions,
    bool Enabled = true,
    RuleSeverity Severity = RuleSeverity.Warning,
    int Priority = 3,
    string? Description = null)
{
    public const int MaxIdLength = 128;
}

/// <summary>How serious an active rule is; alarms inherit it unless their action overrides it.</summary>
public enum RuleSeverity
{
    [JsonStringEnumMemberName("info")] Info,
    [JsonStringEnumMemberName("warning")] Warning,
    [JsonStringEnumMemberName("minor")] Minor,
    [JsonStringEnumMemberName("major")] Major,
    [JsonStringEnumMemberName("critical")] Critical,
}

/// <summary>A set of rules exchanged as one document (an edge's pushed rule set, a platform export).</summary>
public sealed record RuleSetDocument(IReadOnlyList<RuleDefinition> Rules, string? Version = null);
