using System.Text.Json;
using Fabrica.Edge.Configuration;
using Fabrica.Rules;

namespace Fabrica.Edge.Rules;

/// <summary>
/// Turns the <c>rules</c> array of the configuration file or of a pushed configuration into a compiled
/// <see cref="RuleSet"/> of the shared engine, checking everything the edge knows and the platform does not: scope
/// tags are tags of the edge's devices (a typo is an error, not a rule that never fires), and each <c>writeTag</c>
/// targets a configured tag of a configured device. Every problem becomes one <see cref="EdgeConfigError"/> whose path
/// points into the array and whose message names the rule (docs/rules.md, "Edge rules").
/// </summary>
internal static class EdgeRuleCompiler
{
    /// <exception cref="EdgeConfigException">Lists every problem of every rule.</exception>
    public static RuleSet Compile(JsonElement rules, string? version, EdgeOptions options, string source)
    {
        var set = TryCompile(rules, version, options, out var errors);
        return set ?? throw new EdgeConfigException(source, errors);
    }

    /// <summary>The problems of a configuration's rules (for the loader), empty when they compile.</summary>
    public static IReadOnlyList<EdgeConfigError> Validate(EdgeOptions options)
    {
        if (options.Rules.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            return [];
        TryCompile(options.Rules, null, options, out var errors);
        return errors;
    }

    private static RuleSet? TryCompile(JsonElement rules, string? version, EdgeOptions options, out List<EdgeConfigError> errors)
    {
        errors = [];
        if (rules.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            return RuleSet.Compile([], null, version);
        if (rules.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new EdgeConfigError("$.rules", "write the edge rules as an array [ … ] (docs/rules.md, \"Edge rules\")."));
            return null;
        }

        var definitions = new List<RuleDefinition>();
        var indexById = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in rules.EnumerateArray())
        {
            var path = $"$.rules[{index}]";
            try
            {
                var rule = element.Deserialize(RulesJsonContext.Default.RuleDefinition);
                if (rule is null)
                {
                    errors.Add(new EdgeConfigError(path, "a rule is an object with id, name, scope, condition and actions."));
                }
                else
                {
                    definitions.Add(rule);
                    indexById.TryAdd(rule.Id ?? "", index);
                }
            }
            catch (JsonException e)
            {
                var inner = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : e.Path[1..];
                errors.Add(new EdgeConfigError(path + inner, $"rule {NameOf(element)}: {Reason(e)}"));
            }
            index++;
        }

        var normalized = EdgeRuleProfile.Normalize(definitions, options.Id);
        var problems = new List<RuleError>(EdgeRuleProfile.Check(normalized, options.Id));
        problems.AddRange(RuleSet.Validate(normalized, new RuleCompileOptions(KnownTags(options))));
        problems.AddRange(CheckWriteTargets(normalized, options));
        foreach (var problem in problems)
        {
            var at = indexById.TryGetValue(problem.RuleId, out var i) ? $"$.rules[{i}]" : "$.rules";
            errors.Add(new EdgeConfigError(problem.Path.Length == 0 ? at : $"{at}.{problem.Path}", $"rule '{problem.RuleId}': {problem.Message}"));
        }
        return errors.Count > 0 ? null : RuleSet.Compile(normalized, new RuleCompileOptions(KnownTags(options)), version);
    }

    /// <summary>Plain tag names (per-device rules) and <c>device/tag</c> (rules over fixed series) of the configuration.</summary>
    private static HashSet<string> KnownTags(EdgeOptions options)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var device in options.Devices)
        {
            foreach (var tag in device.Tags)
            {
                known.Add(tag.Name);
                known.Add($"{device.Id}/{tag.Name}");
            }
        }
        return known;
    }

    /// <summary>
    /// A <c>writeTag</c> must land on a configured tag: of the named device, or — without a device — of every device
    /// that has all the rule's scope tags (each of them gets an instance of the rule).
    /// </summary>
    private static IEnumerable<RuleError> CheckWriteTargets(IReadOnlyList<RuleDefinition> rules, EdgeOptions options)
    {
        var devices = options.Devices.ToDictionary(d => d.Id, d => d.Tags.Select(t => t.Name).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (rule?.Actions is null)
                continue;
            for (var i = 0; i < rule.Actions.Count; i++)
            {
                if (rule.Actions[i] is not WriteTagAction { Tag: { } tag } write)
                    continue;
                var path = $"actions[{i}]";
                if (write.Device is { } device)
                {
                    if (!devices.TryGetValue(device, out var tags))
                        yield return new RuleError(rule.Id ?? "", path + ".device", $"no device '{device}' in this edge's configuration");
                    else if (!tags.Contains(tag))
                        yield return new RuleError(rule.Id ?? "", path + ".tag", $"device '{device}' has no tag '{tag}' in this edge's configuration");
                    continue;
                }
                var scope = rule.Scope ?? [];
                if (scope.Any(s => s?.Contains('/', StringComparison.Ordinal) != false))
                    continue; // fixed series without a device: the shared compiler reports it
                var instances = devices.Where(d => scope.All(d.Value.Contains)).ToList();
                foreach (var (id, _) in instances.Where(d => !d.Value.Contains(tag)))
                    yield return new RuleError(rule.Id ?? "", path + ".tag", $"device '{id}' reads the rule's scope but has no tag '{tag}' to write");
            }
        }
    }

    private static string NameOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? $"'{id.GetString()}'"
            : "(no id)";

    /// <summary>System.Text.Json's messages end in " Path: … | LineNumber: …"; the path is reported separately.</summary>
    private static string Reason(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return cut >= 0 ? message[..cut] : message;
    }
}
