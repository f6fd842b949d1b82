using System.ComponentModel;
using System.Net;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Resolution;
using Fabrica.Server.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands.Identifiers;

internal sealed class IdNodeSettings : CommandSettings
{
    [CommandOption("--role <ROLE>")]
    [Description("root, industry or enterprise (default enterprise)")]
    public string Role { get; init; } = "enterprise";

    [CommandOption("--prefix <PREFIX>")]
    [Description("Prefix this node is authoritative for, e.g. 88.100.12 (repeatable; a root needs none)")]
    public string[] Prefixes { get; init; } = [];

    [CommandOption("--data <DIR>")]
    [Description("Data directory (default ./data; env FABRICA_DATA)")]
    public string? Data { get; init; }

    [CommandOption("--http-port <N>")]
    [Description("HTTP port of the Handle REST API, 0 = any free port (default 8000)")]
    public int HttpPort { get; init; } = 8000;

    [CommandOption("--handle-port <N>")]
    [Description("Handle native protocol port, UDP and TCP, 0 = any free port (default 2641)")]
    public int HandlePort { get; init; } = IdentifierNodeSettings.DefaultHandlePort;

    [CommandOption("--dns-port <N>")]
    [Description("DNS front end port (ONS/ORS NAPTR, handle TXT/URI), UDP and TCP, 0 = any free port (default 8053; a free port when --handle-port is not 2641)")]
    public int? DnsPort { get; init; }

    [CommandOption("--bind <ADDRESS>")]
    [Description("Address to listen on (default 0.0.0.0)")]
    public string Bind { get; init; } = "0.0.0.0";

    [CommandOption("--root <HOST:PORT>")]
    [Description("Root to resolve through (repeatable); on a root: its peer roots, whose newer root data it copies")]
    public string[] Roots { get; init; } = [];

    [CommandOption("--root-key <FILE>")]
    [Description("The roots' Ed25519 public key(s), hex, one per line: the trust anchors")]
    public string? RootKey { get; init; }

    [CommandOption("--rate-limit <N>")]
    [Description("Resolutions per second per client address, REST and native (default 1000, burst twice that; 0 = off)")]
    public double RateLimit { get; init; } = 1000;

    public NodeRole ParsedRole => Role.ToLowerInvariant() switch
    {
        "root" => NodeRole.Root,
        "industry" => NodeRole.Industry,
        _ => NodeRole.Enterprise,
    };

    public override ValidationResult Validate()
    {
        if (Role.ToLowerInvariant() is not ("root" or "industry" or "enterprise"))
            return ValidationResult.Error("--role is root, industry or enterprise.");
        if (Prefixes.FirstOrDefault(p => HandleName.NormalizePrefix(p) is null) is { } bad)
            return ValidationResult.Error($"--prefix '{bad}' is not a prefix: dot-separated segments of letters, digits, '-' or '_'.");
        if (ParsedRole != NodeRole.Root && Prefixes.Length == 0)
            return ValidationResult.Error($"An {Role} node needs at least one --prefix.");
        if (Roots.Length > 0 && RootKey is null)
            return ValidationResult.Error("--root needs --root-key (the key the root data is signed with).");
        if (RootKey is not null && !File.Exists(RootKey))
            return ValidationResult.Error($"Root key file '{RootKey}' does not exist.");
        if (!IPAddress.TryParse(Bind, out _))
            return ValidationResult.Error($"'{Bind}' is not an IP address.");
        if (HttpPort is < 0 or > 65535 || HandlePort is < 0 or > 65535 || DnsPort is < 0 or > 65535)
            return ValidationResult.Error("Ports are 0 (any free port) to 65535.");
        return RateLimit < 0 ? ValidationResult.Error("--rate-limit must not be negative.") : ValidationResult.Success();
    }
}

/// <summary>
/// <c>fabrica idnode</c>: an identifier node alone — Handle REST API, native protocol, API tokens and audit log, no
/// MQTT broker, ingest or time-series storage (<see cref="IdentifierNodeServer"/>). Prints a ready line with the
/// bound ports and the node's public key, which a parent puts in its delegation and clients of a root trust.
/// </summary>
internal sealed class IdNodeCommand : AsyncCommand<IdNodeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IdNodeSettings s, CancellationToken cancellationToken)
    {
        var data = s.Data ?? Environment.GetEnvironmentVariable("FABRICA_DATA") ?? "./data";
        var options = new FabricaServerOptions
        {
            DataDirectory = data,
            HttpPort = s.HttpPort,
            BindAddress = IPAddress.Parse(s.Bind),
            Identifiers = new IdentifierNodeSettings
            {
                Role = s.ParsedRole,
                Prefixes = s.Prefixes,
                HandlePort = s.HandlePort,
                Roots = s.Roots,
                RootKeyFile = s.RootKey,
                Dns = new Fabrica.Identifiers.Dns.DnsServerOptions { Port = s.DnsPort ?? ServeSettings.DefaultDnsPort(s.HandlePort) },
                RateLimit = ServeSettings.RateLimitFor(s.RateLimit),
            },
        };
        IdentifierNodeServer server;
        try
        {
            server = await IdentifierNodeServer.StartAsync(options, logging =>
            {
                logging.ClearProviders();
                logging.SetMinimumLevel(LogLevel.Information);
                logging.AddFilter("Microsoft", LogLevel.Warning);
                logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
                logging.AddSimpleConsole(o => o.SingleLine = true);
                logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            }, cancellationToken);
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message);
        }
        await using (server)
        {
            Console.WriteLine(server.AdminToken.Created
                ? $"admin token created in {Path.GetFullPath(server.AdminToken.Path)} (keep it secret; it is shown nowhere else)"
                : $"admin token: {Path.GetFullPath(server.AdminToken.Path)}");
            var publicKey = (await File.ReadAllTextAsync(Path.Combine(data, "identifier-signing.pub"), cancellationToken)).Trim();
            Console.WriteLine($"fabrica idnode ready role={s.Role.ToLowerInvariant()} http={server.HttpPort} handle={server.HandlePort} dns={server.DnsPort} key={publicKey} data={Path.GetFullPath(data)}");
            await server.WaitForShutdownAsync(cancellationToken);
        }
        return 0;
    }
}
