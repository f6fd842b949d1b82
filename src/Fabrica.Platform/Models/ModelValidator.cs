using System.Text.Json;
using Fabrica.Rules;

namespace Fabrica.Platform.Models;

internal static partial class ModelValidator
{
    public const int MaxDepth = 32;

    /// <summary>Builds the indexed model, or throws with every problem found.</summary>
    /// <exception cref="ModelValidationException">The model is invalid.</exception>
    public static PlantModel Build(IReadOnlyList<AssetType> types, IReadOnlyList<Asset> assets, IReadOnlyList<AssetRule> rules)
    {
        var errors = new List<ModelError>();
        var typesById = new Dictionary<string, AssetType>(StringComparer.Ordinal);
        var computed = new Dictionary<string, IReadOnlyList<ComputedTag>>(StringComparer.Ordinal);
        CheckTypes(types, errors, typesById, computed);
        var assetsById = new Dictionary<string, Asset>(StringComparer.Ordinal);
        var paths = CheckAssets(assets, typesById, errors, assetsById);
        var rulesById = CheckRules(rules, typesById, assetsById, paths, errors);
        if (errors.Count > 0)
            throw new ModelValidationException(errors);
        return new PlantModel(typesById, assetsById, paths, rulesById, computed, types, assets, rules);
    }

    private static Dictionary<string, string> CheckAssets(IReadOnlyList<Asset> assets, Dictionary<string, AssetType> types, List<ModelError> errors, Dictionary<string, Asset> byId)
    {
        for (var i = 0; i < assets.Count; i++)
        {
            var asset = assets[i];
            if (asset is null)
                errors.Add(new($"assets[{i}]", "is empty"));
            else if (!NamingRules.IsValidDeviceId(asset.Id ?? ""))
                errors.Add(new($"assets[{i}].id", $"'{asset.Id}' is not an id: use 1 to 128 letters, digits, '-', '_' or '.'"));
            else if (!byId.TryAdd(asset.Id!, asset))
                errors.Add(new($"assets['{asset.Id}'].id", $"asset id '{asset.Id}' is used twice"));
        }

        // Paths: walk up from each asset; a walk that meets itself is a cycle, one that finds no parent an orphan.
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var asset in byId.Values)
            ResolvePath(asset, byId, paths, errors);

        var byPath = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var asset in byId.Values)
        {
            var at = $"assets['{asset.Id}']";
            // An asset whose path cannot be resolved (its parent is the problem) is still checked, named by its id.
            var resolved = paths.TryGetValue(asset.Id, out var path);
            path ??= asset.Id;
            if (resolved && !byPath.TryAdd(path, asset.Id))
                errors.Add(new(at + ".key", $"asset '{path}': the path is already used by asset '{byPath[path]}' (keys must be unique among siblings)"));
            CheckName(asset.Name ?? asset.Id, at + ".name", $"asset '{path}'", errors);
            if (!Enum.IsDefined(asset.Level))
                errors.Add(new(at + ".level", $"asset '{path}': unknown level"));
            if (asset.Parent is not null && byId.TryGetValue(asset.Parent, out var parent) && parent.Level >= asset.Level)
                errors.Add(new(at + ".level", $"asset '{path}' is a {Name(asset.Level)} under the {Name(parent.Level)} '{paths.GetValueOrDefault(parent.Id, parent.Id)}': a child's level must lie below its parent's (enterprise → site → area → line → cell → equipment)"));
            if (asset.Device is not null && !NamingRules.IsValidDeviceId(asset.Device))
                errors.Add(new(at + ".device", $"asset '{path}': '{asset.Device}' is not a device id"));
            AssetType? type = null;
            if (asset.Type is not null && !types.TryGetValue(asset.Type, out type))
                errors.Add(new(at + ".type", $"asset '{path}': unknown asset type '{asset.Type}'"));
            CheckAttributes(asset, path, at, type, errors);
            CheckBindings(asset, path, at, type, errors);
            CheckCalendar(asset, path, at, errors);
        }
        return paths;
    }

    private static void ResolvePath(Asset asset, Dictionary<string, Asset> byId, Dictionary<string, string> paths, List<ModelError> errors)
    {
        var at = $"assets['{asset.Id}']";
        if (!NamingRules.IsValidDeviceId(asset.PathKey))
        {
            errors.Add(new(at + ".key", $"asset '{asset.Id}': '{asset.Key}' is not a path segment: use letters, digits, '-', '_' or '.'"));
            return;
        }
        var chain = new List<Asset> { asset };
        var seen = new HashSet<string>(StringComparer.Ordinal) { asset.Id };
        var current = asset;
        while (current.Parent is not null)
        {
            if (!byId.TryGetValue(current.Parent, out var parent))
            {
                if (current == asset)
                    errors.Add(new(at + ".parent", $"asset '{asset.PathKey}': unknown parent '{asset.Parent}'"));
                return;
            }
            if (!seen.Add(parent.Id))
            {
                if (parent.Id == asset.Id)
                    errors.Add(new(at + ".parent", $"asset '{asset.Id}' would be its own ancestor: {string.Join(" → ", chain.Select(a => a.Id))} → {asset.Id} is a cycle"));
                return;
            }
            if (chain.Count > MaxDepth)
            {
                errors.Add(new(at + ".parent", $"asset '{asset.Id}' lies more than {MaxDepth} levels deep"));
                return;
            }
            chain.Add(parent);
            current = parent;
        }
        chain.Reverse();
        paths[asset.Id] = string.Join('/', chain.Select(a => a.PathKey));
    }

    private static void CheckAttributes(Asset asset, string path, string at, AssetType? type, List<ModelError> errors)
    {
        if (type is null)
            return;
        foreach (var (name, value) in asset.AttributeMap)
        {
            var declared = type.AttributeList.FirstOrDefault(a => a.Name == name);
            if (declared is null)
                errors.Add(new($"{at}.attributes['{name}']", $"asset '{path}': asset type '{type.Id}' declares no attribute '{name}'"));
            else if (!Fits(value, declared.Type))
                errors.Add(new($"{at}.attributes['{name}']", $"asset '{path}': attribute '{name}' is a {Name(declared.Type)}, not {value.ValueKind.ToString().ToLowerInvariant()} {Shorten(value.GetRawText())}"));
        }
        foreach (var required in type.AttributeList.Where(a => a.Required))
        {
            if (!asset.AttributeMap.ContainsKey(required.Name))
                errors.Add(new($"{at}.attributes['{required.Name}']", $"asset '{path}': attribute '{required.Name}' is required by asset type '{type.Id}'"));
        }
    }

    private static void CheckBindings(Asset asset, string path, string at, AssetType? type, List<ModelError> errors)
    {
        if (asset.BindingMap.Count > 0 && type is null)
        {
            errors.Add(new(at + ".bindings", $"asset '{path}' has no type, so it has no tags to bind"));
            return;
        }
        foreach (var (tag, binding) in asset.BindingMap)
        {
            var here = $"{at}.bindings['{tag}']";
            var declared = type!.FindTag(tag);
            if (declared is null)
                errors.Add(new(here, $"asset '{path}': asset type '{type.Id}' declares no tag '{tag}'"));
            else if (declared.IsComputed)
                errors.Add(new(here, $"asset '{path}': tag '{tag}' is computed from '{declared.Expression}'; only measured tags are bound to devices"));
            if (binding is null || !NamingRules.IsValidDeviceId(binding.Device ?? ""))
            {
                errors.Add(new(here + ".device", $"asset '{path}': '{binding?.Device}' is not a device id"));
                continue;
            }
            if (binding.Tag is not null && !NamingRules.IsValidTag(binding.Tag))
                errors.Add(new(here + ".tag", $"asset '{path}': '{binding.Tag}' is not a tag name"));
            if (declared is not null && binding.Unit is not null && !string.Equals(binding.Unit, declared.Unit, StringComparison.Ordinal))
                errors.Add(new(here + ".unit", $"asset '{path}': unit mismatch: device series {binding.Device}/{binding.Tag ?? tag} is in '{binding.Unit}', but asset type '{type.Id}' gives tag '{tag}' in '{declared.Unit ?? "(no unit)"}'"));
        }
    }

    private static Dictionary<string, AssetRule> CheckRules(IReadOnlyList<AssetRule> rules, Dictionary<string, AssetType> types, Dictionary<string, Asset> assets, Dictionary<string, string> paths, List<ModelError> errors)
    {
        var byId = new Dictionary<string, AssetRule>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (rule?.Definition is null)
            {
                errors.Add(new($"rules[{i}]", "is empty"));
                continue;
            }
            var at = $"rules['{rule.Id}']";
            if (rule.Id is not null && !byId.TryAdd(rule.Id, rule))
            {
                errors.Add(new(at + ".id", $"rule id '{rule.Id}' is used twice"));
                continue;
            }
            AssetType? type = null;
            switch (rule.AssetType, rule.Asset)
            {
                case (null, null) or (not null, not null):
                    errors.Add(new(at, $"rule '{rule.Id}' applies to either an asset type ('assetType') or one asset ('asset')"));
                    continue;
                case (not null, _) when !types.TryGetValue(rule.AssetType, out type):
                    errors.Add(new(at + ".assetType", $"rule '{rule.Id}': unknown asset type '{rule.AssetType}'"));
                    continue;
                case (_, not null) when !assets.TryGetValue(rule.Asset, out var asset):
                    errors.Add(new(at + ".asset", $"rule '{rule.Id}': unknown asset '{rule.Asset}'"));
                    continue;
                case (_, not null):
                    var owner = assets[rule.Asset];
                    if (owner.Type is null || !types.TryGetValue(owner.Type, out type))
                    {
                        errors.Add(new(at + ".asset", $"rule '{rule.Id}': asset '{paths.GetValueOrDefault(owner.Id, owner.Id)}' has no type, so no tags to watch"));
                        continue;
                    }
                    break;
            }
            var known = type!.TagList.Where(t => t?.Name is not null).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var error in RuleSet.Validate([rule.Definition], new RuleCompileOptions(known)))
                errors.Add(new($"{at}.{error.Path}", $"rule '{rule.Id}' on {(rule.AssetType is not null ? $"asset type '{rule.AssetType}'" : $"asset '{paths.GetValueOrDefault(rule.Asset!, rule.Asset!)}'")}: {error.Message}"));
            for (var a = 0; a < (rule.Definition.Actions?.Count ?? 0); a++)
            {
                // Events go to their own topics: a rule must not speak on a device's or an edge's behalf (commands, configs).
                if (rule.Definition.Actions![a] is EmitEventAction { Target: EventTarget.Mqtt, Topic: { } topic }
                    && (topic.StartsWith("fabrica/devices/", StringComparison.Ordinal) || topic.StartsWith("fabrica/edges/", StringComparison.Ordinal)
                        || topic.StartsWith("fabrica/alarms/", StringComparison.Ordinal) || topic.Contains('+', StringComparison.Ordinal) || topic.Contains('#', StringComparison.Ordinal)))
                    errors.Add(new($"{at}.actions[{a}].topic", $"rule '{rule.Id}': '{topic}' is reserved or a wildcard; publish events under a topic of their own such as fabrica/events/…"));
            }
            if (rule.Definition.Scope?.Any(s => s?.Contains('/', StringComparison.Ordinal) == true) == true)
                errors.Add(new(at + ".scope", $"rule '{rule.Id}': a model rule reads its asset's tags by plain name; fixed series (device/tag) belong in device rules"));
        }
        return byId;
    }

    private static bool Fits(JsonElement value, DataType type) => type switch
    {
        DataType.Number => value.ValueKind == JsonValueKind.Number,
        DataType.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        DataType.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        _ => value.ValueKind == JsonValueKind.String,
    };

    internal static string Name(DataType type) => type.ToString().ToLowerInvariant();

    internal static string Name(AssetLevel level) => level.ToString().ToLowerInvariant();

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
