using System.Text.Json;

namespace Fabrica.Edge.Configuration;

/// <summary>How a configuration error quotes the value it refuses: strings in quotes, numbers as written, others by kind.</summary>
public static class JsonValueText
{
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{value.GetString()}\"",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
