using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Fabrica.Rules;

namespace Fabrica.Platform.Models;

/// <summary>
/// A rule of the model: a <see cref="RuleDefinition"/> (docs/rules.md) for every asset of a type, or for one asset.
/// Its plain tags are the asset's tags (measured and computed), and it has one instance per asset. In JSON it is the
/// rule's own object with one more field, <c>assetType</c> or <c>asset</c>.
/// </summary>
[JsonConverter(typeof(AssetRuleJsonConverter))]
public sealed record AssetRule(RuleDefinition Definition, string? AssetType = null, string? Asset = null)
{
    public string Id => Definition.Id;

    /// <summary><c>type:{id}</c> or <c>asset:{id}</c>: which assets' samples the rule sees.</summary>
    public string Target => AssetType is not null ? "type:" + AssetType : "asset:" + Asset;
}

/// <summary>Reads and writes <see cref="AssetRule"/> flat, delegating the rule itself to <see cref="RuleJson"/>.</summary>
public sealed class AssetRuleJsonConverter : JsonConverter<AssetRule>
{
    public override AssetRule Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (JsonNode.Parse(ref reader) is not JsonObject node)
            throw new JsonException("A rule is a JSON object.");
        var assetType = Take(node, "assetType");
        var asset = Take(node, "asset");
        var definition = RuleJson.ReadRule(node.ToJsonString());
        return new AssetRule(definition, assetType, asset);
    }

    public override void Write(Utf8JsonWriter writer, AssetRule value, JsonSerializerOptions options)
    {
        var node = JsonNode.Parse(RuleJson.Write(value.Definition))!.AsObject();
        var ordered = new JsonObject { ["id"] = value.Id };
        if (value.AssetType is not null)
            ordered["assetType"] = value.AssetType;
        if (value.Asset is not null)
            ordered["asset"] = value.Asset;
        foreach (var (name, child) in node.ToList())
        {
            if (name != "id")
            {
                node.Remove(name);
                ordered[name] = child;
            }
        }
        ordered.WriteTo(writer);
    }

    private static string? Take(JsonObject node, string name)
    {
        if (!node.TryGetPropertyValue(name, out var value))
            return null;
        node.Remove(name);
        return value is null ? null
            : value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>()
            : throw new JsonException($"'{name}' is the id of an {(name == "asset" ? "asset" : "asset type")}, a string.");
    }
}
