namespace Fabrica.Rules;

/// <summary>
/// A validated, compiled set of rules, ready to hand to <see cref="RuleEngine.Apply(RuleSet)"/>. Compile a pushed rule set
/// first (this throws with every problem listed), then apply it: the engine switches to it atomically.
/// </summary>
public sealed class RuleSet
{
    private readonly Dictionary<string, CompiledRule> _byId;

    private RuleSet(IReadOnlyList<CompiledRule> rules, string? version)
    {
        Compiled = rules;
        Version = version;
        _byId = rules.ToDictionary(r => r.Id, StringComparer.Ordinal);
        Definitions = [.. rules.Select(r => r.Definition)];
    }

    public static RuleSet Empty { get; } = new([], null);

    public IReadOnlyList<RuleDefinition> Definitions { get; }

    /// <summary>The version of the document the set came from, as the edge reports it in its status.</summary>
    public string? Version { get; }

    internal IReadOnlyList<CompiledRule> Compiled { get; }

    public RuleDefinition? Find(string id) => _byId.TryGetValue(id, out var rule) ? rule.Definition : null;

    /// <exception cref="RuleValidationException">Lists every problem of every rule.</exception>
    public static RuleSet Compile(RuleSetDocument document, RuleCompileOptions? options = null) =>
        Compile(document.Rules ?? [], options, document.Version);

    /// <exception cref="RuleValidationException">Lists every problem of every rule.</exception>
    public static RuleSet Compile(IEnumerable<RuleDefinition> rules, RuleCompileOptions? options = null, string? version = null)
    {
        var compiled = CompileAll(rules, options ?? new RuleCompileOptions(), out var errors);
        return errors.Count > 0 ? throw new RuleValidationException(errors) : new RuleSet(compiled, version);
    }

    /// <summary>Every problem of every rule; empty when the set is valid.</summary>
    public static IReadOnlyList<RuleError> Validate(IEnumerable<RuleDefinition> rules, RuleCompileOptions? options = null)
    {
        CompileAll(rules, options ?? new RuleCompileOptions(), out var errors);
        return errors;
    }

    /// <summary>The same set with one rule enabled or disabled (compiled parts reused).</summary>
    internal RuleSet WithEnabled(string id, bool enabled)
    {
        var rules = Compiled.Select(r => r.Id != id || r.Definition.Enabled == enabled
            ? r
            : new CompiledRule
            {
                Definition = r.Definition with { Enabled = enabled },
                Slots = r.Slots,
                SlotTags = r.SlotTags,
                SlotDevices = r.SlotDevices,
                PerDevice = r.PerDevice,
                Condition = r.Condition,
                Actions = r.Actions,
                Fingerprint = r.Fingerprint,
            });
        return new RuleSet([.. rules], Version);
    }

    private static List<CompiledRule> CompileAll(IEnumerable<RuleDefinition> rules, RuleCompileOptions options, out List<RuleError> errors)
    {
        errors = [];
        var compiled = new List<CompiledRule>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var rule in rules)
        {
            if (rule is null)
            {
                errors.Add(new RuleError("", $"rules[{index++}]", "is empty"));
                continue;
            }
            index++;
            if (rule.Id is not null && !ids.Add(rule.Id))
                errors.Add(new RuleError(rule.Id, "id", "is used by another rule in the set"));
            if (RuleCompiler.Compile(rule, options, errors) is { } ok)
                compiled.Add(ok);
        }
        return compiled;
    }
}
