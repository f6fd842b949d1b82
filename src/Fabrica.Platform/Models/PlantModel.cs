using System.Collections.Frozen;

namespace Fabrica.Platform.Models;

/// <summary>
/// The model at one moment, validated and indexed: assets by id and path, children, the device series each asset tag
/// is bound to (read on every ingested sample, hence frozen), computed tags per type in evaluation order. Immutable;
/// a change builds a new snapshot and swaps it in.
/// </summary>
public sealed class PlantModel
{
    private readonly Dictionary<string, string> _paths;
    private readonly FrozenDictionary<string, Asset> _byPath;
    private readonly Dictionary<string, List<string>> _children = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ComputedTag>> _computed;

    internal PlantModel(
        Dictionary<string, AssetType> types,
        Dictionary<string, Asset> assets,
        Dictionary<string, string> paths,
        Dictionary<string, AssetRule> rules,
        Dictionary<string, IReadOnlyList<ComputedTag>> computed,
        IReadOnlyList<AssetType> typeList,
        IReadOnlyList<Asset> assetList,
        IReadOnlyList<AssetRule> ruleList)
    {
        Types = types;
        Assets = assets;
        Rules = rules;
        _paths = paths;
        _computed = computed;
        TypeList = typeList;
        AssetList = assetList;
        RuleList = ruleList;
        _byPath = assets.Values.ToFrozenDictionary(a => paths[a.Id], StringComparer.Ordinal);
        var bindings = new Dictionary<SeriesKey, List<BoundTag>>();
        foreach (var asset in assetList)
        {
            if (asset.Parent is not null)
            {
                if (!_children.TryGetValue(asset.Parent, out var siblings))
                    _children[asset.Parent] = siblings = [];
                siblings.Add(asset.Id);
            }
            foreach (var (tag, binding) in asset.BindingMap)
            {
                var key = new SeriesKey(binding.Device, binding.Tag ?? tag);
                if (!bindings.TryGetValue(key, out var list))
                    bindings[key] = list = [];
                list.Add(new BoundTag(asset.Id, tag));
            }
        }
        Bindings = bindings.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    }

    public static PlantModel Empty { get; } = ModelValidator.Build([], [], []);

    public IReadOnlyDictionary<string, AssetType> Types { get; }

    public IReadOnlyDictionary<string, Asset> Assets { get; }

    public IReadOnlyDictionary<string, AssetRule> Rules { get; }

    /// <summary>In the order they were given (import order, then creation order).</summary>
    public IReadOnlyList<AssetType> TypeList { get; }

    public IReadOnlyList<Asset> AssetList { get; }

    public IReadOnlyList<AssetRule> RuleList { get; }

    /// <summary>Device series → the asset tags it feeds (one series may feed several assets).</summary>
    public FrozenDictionary<SeriesKey, BoundTag[]> Bindings { get; }

    public string PathOf(string assetId) => _paths[assetId];

    public Asset? FindByPath(string path) => _byPath.GetValueOrDefault(path.Trim('/'));

    public AssetType? TypeOf(Asset asset) => asset.Type is null ? null : Types.GetValueOrDefault(asset.Type);

    internal IReadOnlyList<ComputedTag> ComputedTags(string typeId) => _computed.GetValueOrDefault(typeId) ?? [];

    public IReadOnlyList<string> ChildrenOf(string assetId) => _children.TryGetValue(assetId, out var c) ? c : [];

    /// <summary>The asset and everything below it, parents before children.</summary>
    public IEnumerable<Asset> Subtree(string assetId)
    {
        var stack = new Stack<string>();
        stack.Push(assetId);
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            yield return Assets[id];
            var children = ChildrenOf(id);
            for (var i = children.Count - 1; i >= 0; i--)
                stack.Push(children[i]);
        }
    }

    /// <summary>The assets whose samples a rule sees: every asset of its type, or its one asset.</summary>
    public IEnumerable<Asset> AssetsOf(AssetRule rule) => rule.AssetType is not null
        ? AssetList.Where(a => a.Type == rule.AssetType)
        : Assets.TryGetValue(rule.Asset!, out var one) ? [one] : [];

    public ModelDocument ToDocument() => new(TypeList, AssetList, RuleList);

    /// <summary>A new, validated snapshot with the given parts replaced.</summary>
    /// <exception cref="ModelValidationException">The result would be invalid.</exception>
    public PlantModel With(IReadOnlyList<AssetType>? types = null, IReadOnlyList<Asset>? assets = null, IReadOnlyList<AssetRule>? rules = null) =>
        ModelValidator.Build(types ?? TypeList, assets ?? AssetList, rules ?? RuleList);
}

/// <summary>An asset tag fed by a device series.</summary>
public readonly record struct BoundTag(string AssetId, string Tag);
