using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabrica.Rules;

/// <summary>Reads and writes rules and rule sets in the documented JSON shape (docs/rules.md), without reflection.</summary>
public static class RuleJson
{
    public static RuleDefinition ReadRule(string json) =>
        JsonSerializer.Deserialize(json, RulesJsonContext.Default.RuleDefinition) ?? throw new JsonException("A rule cannot be null.");

    public static RuleSetDocument ReadRuleSet(string json) =>
        JsonSerializer.Deserialize(json, RulesJsonContext.Default.RuleSetDocument) ?? throw new JsonException("A rule set cannot be null.");

    public static RuleSetDocument ReadRuleSet(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, RulesJsonContext.Default.RuleSetDocument) ?? throw new JsonException("A rule set cannot be null.");

    public static string Write(RuleDefinition rule) => JsonSerializer.Serialize(rule, RulesJsonContext.Default.RuleDefinition);

    public static string Write(RuleSetDocument ruleSet) => JsonSerializer.Serialize(ruleSet, RulesJsonContext.Default.RuleSetDocument);
}

/// <summary>Source-generated metadata; hosts can chain it into their own contexts (e.g. the REST API's).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    AllowOutOfOrderMetadataProperties = true,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(RuleDefinition))]
[JsonSerializable(typeof(RuleSetDocument))]
[JsonSerializable(typeof(RuleTransitionMessage))]
public sealed partial class RulesJsonContext : JsonSerializerContext;
