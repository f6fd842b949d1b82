using System.ComponentModel;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Fabrica.Server.Hosting;
using Fabrica.Storage;
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

    [CommandOption("--mqtt-tls-port <N>")]
    [Description("MQTT over TLS port (8883 by convention), 0 = any free port; off unless set (env FABRICA_MQTT_TLS_PORT). Without --tls-cert a self-signed certificate is generated into the data directory")]
    public int? MqttTlsPort { get; init; }

    [CommandOption("--tls-cert <FILE>")]
    [Description("Certificate for MQTT over TLS: PEM with certificate and private key, or PFX/P12 (password in env FABRICA_TLS_CERT_PASSWORD); env FABRICA_TLS_CERT")]
    public string? TlsCert { get; init; }

    [CommandOption("--bind <ADDRESS>")]
    [Description("Address to listen on (default 0.0.0.0; env FABRICA_BIND)")]
    public string? Bind { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("Optional JSON file: data, httpPort, mqttPort, bind, flushInterval, retention (see docs/configuration.md)")]
    public string? Config { get; init; }

    [CommandOption("--log-format <FORMAT>")]
    [Description("text (default) or json")]
    public string LogFormat { get; init; } = "text";

    [CommandOption("--prefix <PREFIX>")]
    [Description("Identifier prefix this node is authoritative for, e.g. 88.100.12 (repeatable)")]
    public string[] Prefixes { get; init; } = [];

    [CommandOption("--handle-port <N>")]
    [Description("Handle native protocol port, UDP and TCP, 0 = any free port (default 2641)")]
    public int? HandlePort { get; init; }

    [CommandOption("--dns-port <N>")]
    [Description("DNS front end port (ONS/ORS NAPTR, handle TXT/URI), UDP and TCP, 0 = any free port (default 8053, env FABRICA_DNS_PORT; a free port when --handle-port is not 2641)")]
    public int? DnsPort { get; init; }

    [CommandOption("--root <HOST:PORT>")]
    [Description("Identifier root node to resolve through, over the Handle protocol (repeatable)")]
    public string[] Roots { get; init; } = [];

    [CommandOption("--root-key <FILE>")]
    [Description("File with the roots' Ed25519 public key(s), hex, one per line: the trust anchors")]
    public string? RootKey { get; init; }

    [CommandOption("--rate-limit <N>")]
    [Description("Identifier resolutions per second per client address, REST, Digital Link and native (default 1000, burst twice that; 0 = off)")]
    public double RateLimit { get; init; } = 1000;

    public override ValidationResult Validate()
    {
        if (RateLimit < 0)
            return ValidationResult.Error("--rate-limit must not be negative.");
        if (Prefixes.FirstOrDefault(p => Fabrica.Identifiers.Model.HandleName.NormalizePrefix(p) is null) is { } badPrefix)
            return ValidationResult.Error($"--prefix '{badPrefix}' is not a prefix: dot-separated segments of letters, digits, '-' or '_' (e.g. 88.100.12).");
        if (RootKey is not null && !File.Exists(RootKey))
            return ValidationResult.Error($"Root key file '{RootKey}' does not exist.");
        if (TlsCert is not null && !File.Exists(TlsCert))
            return ValidationResult.Error($"TLS certificate file '{TlsCert}' does not exist.");
        if (TlsCert is not null && MqttTlsPort is null)
            return ValidationResult.Error("--tls-cert is for the MQTT over TLS listener: add --mqtt-tls-port (e.g. 8883).");
        foreach (var port in new[] { HttpPort, MqttPort, HandlePort, DnsPort, MqttTlsPort })
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
        var file = Config is null ? null : ReadConfig(Config);
        var defaults = new FabricaServerOptions();
        var bind = Bind ?? Env("FABRICA_BIND") ?? file?.Bind;
        if (bind is not null && !IPAddress.TryParse(bind, out _))
            throw new CliException($"'{bind}' is not an IP address to listen on (e.g. 0.0.0.0 or 127.0.0.1).");
        return new FabricaServerOptions
        {
            DataDirectory = Data ?? Env("FABRICA_DATA") ?? file?.Data ?? defaults.DataDirectory,
            HttpPort = HttpPort ?? EnvInt("FABRICA_HTTP_PORT") ?? file?.HttpPort ?? defaults.HttpPort,
            MqttPort = MqttPort ?? EnvInt("FABRICA_MQTT_PORT") ?? file?.MqttPort ?? defaults.MqttPort,
            MqttTlsPort = MqttTlsPort ?? EnvInt("FABRICA_MQTT_TLS_PORT"),
            TlsCertificateFile = TlsCert ?? Env("FABRICA_TLS_CERT"),
            TlsCertificatePassword = Env("FABRICA_TLS_CERT_PASSWORD"),
            BindAddress = bind is null ? defaults.BindAddress : IPAddress.Parse(bind),
            Retention = file?.Retention is { Length: > 0 } tiers ? tiers.Select(ToTier).ToList() : defaults.Retention,
            FlushInterval = file?.FlushInterval is { } flush ? Duration(flush, "flushInterval") : defaults.FlushInterval,
            Identifiers = new IdentifierNodeSettings
            {
                Prefixes = Prefixes,
                HandlePort = HandlePort ?? EnvInt("FABRICA_HANDLE_PORT") ?? file?.HandlePort ?? IdentifierNodeSettings.DefaultHandlePort,
                Roots = Roots,
                RootKeyFile = RootKey,
                Dns = new Fabrica.Identifiers.Dns.DnsServerOptions { Port = DnsPort ?? EnvInt("FABRICA_DNS_PORT") ?? DefaultDnsPort(HandlePort ?? EnvInt("FABRICA_HANDLE_PORT") ?? file?.HandlePort) },
                RateLimit = RateLimitFor(RateLimit),
            },
        };
    }

    /// <summary>The per-client limit of <c>--rate-limit N</c> (serve and idnode alike): N/s sustained, bursts of 2N; 0 = off.</summary>
    internal static Fabrica.Identifiers.Limits.RateLimitOptions RateLimitFor(double perSecond) =>
        perSecond == 0 ? Fabrica.Identifiers.Limits.RateLimitOptions.Off : new Fabrica.Identifiers.Limits.RateLimitOptions { PerSecond = perSecond, Burst = 2 * perSecond };

    /// <summary>8053, unless the Handle port was moved from its default: then several nodes share the machine and DNS takes a free port.</summary>
    internal static int DefaultDnsPort(int? handlePort) =>
        handlePort is null or IdentifierNodeSettings.DefaultHandlePort ? Fabrica.Identifiers.Dns.DnsServerOptions.DefaultPort : 0;

    private static ConfigFile ReadConfig(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), CliJsonContext.Default.ConfigFile)
                ?? throw new CliException($"Config file '{path}' is empty.");
        }
        catch (JsonException e)
        {
            throw new CliException($"Config file '{path}' is not valid: {e.Message}");
        }
    }

    private static RetentionTier ToTier(RetentionConfig tier) => new(
        tier.Resolution is "raw" ? TimeSpan.Zero : Duration(tier.Resolution, "retention[].resolution"),
        Duration(tier.Keep, "retention[].keep"));

    private static TimeSpan Duration(string? text, string field) =>
        DurationText.TryParse(text, out var duration)
            ? duration
            : throw new CliException($"Config '{field}': '{text}' is not a duration such as 15m, 30d or 10y.");

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    private static int? EnvInt(string name) => Env(name) is { } v
        ? int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 65535 ? n
            : throw new CliException($"{name}='{v}' is not a port number (0-65535).")
        : null;
}

internal sealed record ConfigFile(string? Data, int? HttpPort, int? MqttPort, int? HandlePort, string? Bind, RetentionConfig[]? Retention, string? FlushInterval);

/// <param name="Resolution"><c>raw</c>, or a roll-up bucket such as <c>1m</c> or <c>1h</c>.</param>
/// <param name="Keep">How long the tier is kept, e.g. <c>30d</c> or <c>10y</c>.</param>
internal sealed record RetentionConfig(string? Resolution, string? Keep);
