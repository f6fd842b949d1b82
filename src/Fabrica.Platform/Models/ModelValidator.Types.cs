using Fabrica.Rules;

namespace Fabrica.Platform.Models;

/// <summary>Checks a whole model and reports every problem at once (docs/models.md, "Validation").</summary>
internal static partial class ModelValidator
{
    public const int MaxNameLength = 200;
    public const int MaxItemsPerType = 1_000;

    private static void CheckTypes(IReadOnlyList<AssetType> types, List<ModelError> errors, Dictionary<string, AssetType> byId, Dictionary<string, IReadOnlyList<ComputedTag>> computed)
    {
        for (var i = 0; i < types.Count; i++)
        {
            var type = types[i];
            if (type is null)
            {
                errors.Add(new($"assetTypes[{i}]", "is empty"));
                continue;
            }
            var at = $"assetTypes['{type.Id}']";
            if (!NamingRules.IsValidDeviceId(type.Id ?? ""))
            {
                errors.Add(new($"assetTypes[{i}].id", $"'{type.Id}' is not an id: use 1 to 128 letters, digits, '-', '_' or '.'"));
                continue;
            }
            if (!byId.TryAdd(type.Id!, type))
            {
                errors.Add(new(at + ".id", $"asset type '{type.Id}' is defined twice"));
                continue;
            }
            CheckName(type.Name, at + ".name", $"asset type '{type.Id}'", errors);
            CheckTags(type, at, errors);
            CheckUnique(type.AttributeList.Select(a => a?.Name), at + ".attributes", $"asset type '{type.Id}'", "attribute", errors);
            CheckCommands(type, at, errors);
            CheckKpis(type, at, errors);
            computed[type.Id!] = CompileComputed(type, at, errors);
        }
    }

    private static void CheckTags(AssetType type, string at, List<ModelError> errors)
    {
        if (type.TagList.Count > MaxItemsPerType)
            errors.Add(new(at + ".tags", $"asset type '{type.Id}' has {type.TagList.Count} tags; at most {MaxItemsPerType}"));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in type.TagList)
        {
            if (tag is null || !NamingRules.IsValidTag(tag.Name ?? ""))
            {
                errors.Add(new(at + ".tags", $"asset type '{type.Id}': '{tag?.Name}' is not a tag name (1 to 256 printable characters, no '/', '+' or '#')"));
                continue;
            }
            if (!seen.Add(tag.Name!))
                errors.Add(new($"{at}.tags['{tag.Name}']", $"asset type '{type.Id}' declares tag '{tag.Name}' twice"));
        }
    }

    private static void CheckCommands(AssetType type, string at, List<ModelError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var command in type.CommandList)
        {
            if (command is null || !NamingRules.IsValidDeviceId(command.Name ?? ""))
            {
                errors.Add(new(at + ".commands", $"asset type '{type.Id}': '{command?.Name}' is not a command name (letters, digits, '-', '_', '.')"));
                continue;
            }
            var here = $"{at}.commands['{command.Name}']";
            if (!seen.Add(command.Name!))
                errors.Add(new(here, $"asset type '{type.Id}' declares command '{command.Name}' twice"));
            if (command.Timeout is not null && !DurationText.TryParse(command.Timeout, out _))
                errors.Add(new(here + ".timeout", $"'{command.Timeout}' is not a duration such as 10s or 2m"));
            if (command.Via is not null && type.FindTag(command.Via) is not { IsComputed: false })
                errors.Add(new(here + ".via", $"'{command.Via}' is not a measured tag of asset type '{type.Id}'"));
            CheckUnique(command.ArgumentList.Select(a => a?.Name), here + ".arguments", $"command '{command.Name}'", "argument", errors);
            foreach (var argument in command.ArgumentList)
            {
                if (argument is { Min: { } min, Max: { } max } && min > max)
                    errors.Add(new($"{here}.arguments['{argument.Name}'].min", $"is {min}, above max {max}"));
                if (argument is { Values: not null, Type: not DataType.String })
                    errors.Add(new($"{here}.arguments['{argument.Name}'].values", "an enumeration of values is for string arguments"));
            }
        }
    }

    /// <summary>Parses each computed tag's expression and orders the computed tags so that each follows those it reads.</summary>
    private static IReadOnlyList<ComputedTag> CompileComputed(AssetType type, string at, List<ModelError> errors)
    {
        var parsed = new Dictionary<string, ComputedTag>(StringComparer.Ordinal);
        foreach (var tag in type.TagList)
        {
            if (tag?.Expression is null || tag.Name is null)
                continue;
            if (!RuleExpression.TryParse(tag.Expression, out var expression, out var error))
            {
                errors.Add(new($"{at}.tags['{tag.Name}'].expression", error.Message));
                continue;
            }
            var ok = true;
            foreach (var read in expression.Tags)
            {
                if (type.FindTag(read) is null)
                {
                    errors.Add(new($"{at}.tags['{tag.Name}'].expression", $"reads '{read}', which asset type '{type.Id}' does not declare"));
                    ok = false;
                }
            }
            if (ok)
                parsed[tag.Name] = new ComputedTag(tag.Name, expression);
        }

        // Depth-first topological order; a computed tag that reaches itself is a cycle.
        var ordered = new List<ComputedTag>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in parsed.Keys)
            Visit(name, []);
        return ordered;

        void Visit(string name, List<string> trail)
        {
            if (state.GetValueOrDefault(name) == 2)
                return;
            if (state.GetValueOrDefault(name) == 1)
            {
                errors.Add(new($"{at}.tags['{name}'].expression", $"computed tags read each other in a cycle: {string.Join(" → ", trail.SkipWhile(t => t != name))} → {name}"));
                return;
            }
            state[name] = 1;
            trail.Add(name);
            foreach (var read in parsed[name].Expression.Tags)
            {
                if (parsed.ContainsKey(read))
                    Visit(read, trail);
            }
            trail.RemoveAt(trail.Count - 1);
            state[name] = 2;
            ordered.Add(parsed[name]);
        }
    }

    private static void CheckName(string? name, string field, string what, List<ModelError> errors)
    {
        if (string.IsNullOrWhiteSpace(name))
            errors.Add(new(field, $"{what} needs a name"));
        else if (name.Length > MaxNameLength)
            errors.Add(new(field, $"{what}: the name has {name.Length} characters; at most {MaxNameLength}"));
    }

    private static void CheckUnique(IEnumerable<string?> names, string field, string owner, string what, List<ModelError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (string.IsNullOrWhiteSpace(name))
                errors.Add(new(field, $"{owner}: every {what} needs a name"));
            else if (!seen.Add(name))
                errors.Add(new($"{field}['{name}']", $"{owner} declares {what} '{name}' twice"));
        }
    }
}

/// <summary>A computed tag of a type, parsed: its value is <see cref="Expression"/> over the tags it reads.</summary>
internal sealed record ComputedTag(string Name, RuleExpression Expression);
