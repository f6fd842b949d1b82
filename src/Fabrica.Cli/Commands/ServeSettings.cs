using System.ComponentModel;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Fabrica.Server.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands;

/// <summary>
/// Options of <c>serve</c> and <c>demo</c>. Precedence: command-line option, then <c>FABRICA_*</c> environment
/// variable, then <c>--config fabrica.json</c>, then the built-in default.
/// </summary>
internal class ServeSettings : CommandSettings
{
    [CommandOption("--data <DIR>")]
    [Description("Data directory (default ./data; env FABRICA_DATA)")]
    public string? Data { get; init; }

    [CommandOption("--http-port <N>")]
    [Description("HTTP port, 0 = any free port (default 8080; env FABRICA_HTTP_PORT)")]
    public int? HttpPort { get; init; }

    [CommandOption("--mqtt-port <N>")]
    [Description("MQTT port, 0 = any free port (default 1883; env FABRICA_MQTT_PORT)")]
    public int? MqttPort { get; init; }

    [CommandOption("--bind <ADDRESS>")]
    [Description("Address to listen on (default 0.0.0.0; env FABRICA_BIND)")]
    public string? Bind { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("Optional JSON file: {\"data\": …, \"httpPort\": …, \"mqttPort\": …, \"bind\": …}")]
    public string? Config { get; init; }

    [CommandOption("--log-format <FORMAT>")]
    [Description("text (default) or json")]
    public string LogFormat { get; init; } = "text";

    public override ValidationResult Validate()
    {
        foreach (var port in new[] { HttpPort, MqttPort })
        {
            if (port is < 0 or > 65535)
                return ValidationResult.Error($"Port {port} is out of range: use 0 (any free port) to 65535.");
        }
        if (Config is not null && !File.Exists(Config))
            return ValidationResult.Error($"Config file '{Config}' does not exist.");
        if (LogFormat is not ("text" or "json"))
            return ValidationResult.Error("--log-format must be text or json.");
        return ValidationResult.Success();
    }

    public FabricaServerOptions ToServerOptions()
    {
        var file = Config is null ? null : JsonSerializer.Deserialize(File.ReadAllText(Config), CliJsonContext.Default.ConfigFile)
            ?? throw new InvalidOperationException($"Config file '{Config}' is empty.");
        var defaults = new FabricaServerOptions();
        var bind = Bind ?? Env("FABRICA_BIND") ?? file?.Bind;
        return new FabricaServerOptions
        {
            DataDirectory = Data ?? Env("FABRICA_DATA") ?? file?.Data ?? defaults.DataDirectory,
            HttpPort = HttpPort ?? EnvInt("FABRICA_HTTP_PORT") ?? file?.HttpPort ?? defaults.HttpPort,
            MqttPort = MqttPort ?? EnvInt("FABRICA_MQTT_PORT") ?? file?.MqttPort ?? defaults.MqttPort,
            BindAddress = bind is null ? defaults.BindAddress : IPAddress.Parse(bind),
        };
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    private static int? EnvInt(string name) => Env(name) is { } v
        ? int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 65535 ? n
            : throw new InvalidOperationException($"{name}='{v}' is not a port number (0-65535).")
        : null;
}

internal sealed record ConfigFile(string? Data, int? HttpPort, int? MqttPort, string? Bind);
