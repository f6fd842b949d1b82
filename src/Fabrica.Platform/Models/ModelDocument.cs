using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabrica.Platform.Models;

/// <summary>
/// The whole model as one document: what <c>GET /api/v1/model</c> exports and <c>PUT /api/v1/model</c> imports
/// (replacing everything, atomically, or nothing when any part is invalid).
/// </summary>
public sealed record ModelDocument(
    IReadOnlyList<AssetType>? AssetTypes = null,
    IReadOnlyList<Asset>? Assets = null,
    IReadOnlyList<AssetRule>? Rules = null,
    int Version = ModelDocument.CurrentVersion)
{
    public const int CurrentVersion = 1;
}

/// <summary>Source-generated JSON for the model, camelCase with string enums, as the REST API speaks it.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ModelDocument))]
[JsonSerializable(typeof(AssetType))]
[JsonSerializable(typeof(Asset))]
[JsonSerializable(typeof(AssetRule))]
[JsonSerializable(typeof(string))]
public sealed partial class ModelJsonContext : JsonSerializerContext;
