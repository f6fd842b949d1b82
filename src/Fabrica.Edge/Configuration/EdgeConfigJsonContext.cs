using System.Text.Json.Serialization;

namespace Fabrica.Edge.Configuration;

/// <summary>
/// Source-generated (trim- and AOT-safe) reading of the configuration file. Property names are camelCase, comments and
/// trailing commas are allowed (people edit this file by hand), and an unknown property is an error, so that a typo
/// (<c>pollPerod</c>) is reported instead of silently ignored.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    WriteIndented = true)]
[JsonSerializable(typeof(EdgeOptions))]
internal sealed partial class EdgeConfigJsonContext : JsonSerializerContext;
