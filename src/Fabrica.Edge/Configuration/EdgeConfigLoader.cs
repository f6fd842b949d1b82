using System.Text.Json;

namespace Fabrica.Edge.Configuration;

/// <summary>
/// Reads the edge configuration file and checks everything that can be checked before starting, reporting every
/// fault with its JSON path and the fix (<see cref="EdgeConfigException"/>). Adapter settings are checked by the
/// adapters themselves when the runtime starts (<c>IDeviceAdapterFactory.Validate</c>).
/// </summary>
public static class EdgeConfigLoader
{
    public static EdgeOptions Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeConfigException($"cannot read the configuration file {path}: {e.Message}", e);
        }
        return Parse(json, path, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Parses and validates; relative buffer directories are resolved against <paramref name="baseDirectory"/>.</summary>
    public static EdgeOptions Parse(string json, string source, string baseDirectory)
    {
        EdgeOptions? options;
        try
        {
            options = JsonSerializer.Deserialize(json, EdgeConfigJsonContext.Default.EdgeOptions);
        }
        catch (JsonException e)
        {
            throw new EdgeConfigException(source, [new EdgeConfigError(e.Path ?? "$", Explain(e))]);
        }
        if (options is null)
            throw new EdgeConfigException(source, [new EdgeConfigError("$", "the file holds null; write a JSON object with id, token, platform and devices (see docs/edge.md).")]);
        var errors = EdgeConfigValidator.Validate(options);
        if (errors.Count > 0)
            throw new EdgeConfigException(source, errors);
        var directory = Path.IsPathRooted(options.Buffer.Directory)
            ? options.Buffer.Directory
            : Path.GetFullPath(Path.Combine(baseDirectory, options.Buffer.Directory));
        // A CA file, like the buffer, is relative to the configuration file.
        var caFile = options.Platform.CaFile is { Length: > 0 } ca && !Path.IsPathRooted(ca) ? Path.GetFullPath(Path.Combine(baseDirectory, ca)) : options.Platform.CaFile;
        return options with { Buffer = options.Buffer with { Directory = directory }, Platform = options.Platform with { CaFile = caFile } };
    }

    /// <summary>System.Text.Json's messages end in " Path: $.x | LineNumber: …"; keep the reason and add the line.</summary>
    private static string Explain(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0)
            message = message[..cut];
        if (message.StartsWith("The JSON property '", StringComparison.Ordinal) && message.Contains("could not be mapped", StringComparison.Ordinal))
            message = message.Replace("The JSON property", "unknown property", StringComparison.Ordinal) + " Check the spelling against docs/edge.md.";
        else if (message.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal))
            message = "wrong type: expected " + Friendly(message["The JSON value could not be converted to ".Length..].TrimEnd('.')) + ".";
        var line = e.LineNumber is { } l ? $" (line {l + 1})" : "";
        return message + line;
    }

    private static string Friendly(string type) => type switch
    {
        "System.String" => "a string in quotes",
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Double" or "System.Nullable`1[System.Double]" => "a number",
        "System.Boolean" => "true or false",
        _ when type.Contains("IReadOnlyList", StringComparison.Ordinal) => "an array [ … ]",
        _ => "an object { … }",
    };
}
