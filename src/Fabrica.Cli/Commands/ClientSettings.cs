using System.ComponentModel;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands;

/// <summary>
/// How client commands find a running node: <c>--server</c> / <c>FABRICA_SERVER</c> (default http://127.0.0.1:8080)
/// and <c>--token</c> / <c>FABRICA_TOKEN</c> (default: the admin token file in the data directory).
/// </summary>
internal class ClientSettings : CommandSettings
{
    [CommandOption("--server <URL>")]
    [Description("Server URL (default http://127.0.0.1:8080; env FABRICA_SERVER)")]
    public string? Server { get; init; }

    [CommandOption("--token <TOKEN>")]
    [Description("API token (default: env FABRICA_TOKEN, else <data>/admin.token)")]
    public string? Token { get; init; }

    [CommandOption("--data <DIR>")]
    [Description("Data directory holding admin.token (default ./data; env FABRICA_DATA)")]
    public string? Data { get; init; }

    public Uri ServerUri => new(Server ?? Environment.GetEnvironmentVariable("FABRICA_SERVER") ?? "http://127.0.0.1:8080");

    public string ResolveToken()
    {
        if (!string.IsNullOrWhiteSpace(Token))
            return Token.Trim();
        if (Environment.GetEnvironmentVariable("FABRICA_TOKEN") is { Length: > 0 } fromEnv)
            return fromEnv.Trim();
        var dataDir = Data ?? Environment.GetEnvironmentVariable("FABRICA_DATA") ?? "./data";
        var file = Path.Combine(dataDir, "admin.token");
        if (!File.Exists(file))
            throw new CliException($"No token given and no {file}: pass --token, set FABRICA_TOKEN, or point --data at the server's data directory.");
        return File.ReadAllText(file).Trim();
    }
}

/// <summary>An error the user can fix; printed without a stack trace.</summary>
internal sealed class CliException(string message) : Exception(message);
