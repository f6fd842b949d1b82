using System.Net;
using Fabrica.Identifiers.Http;
using Fabrica.Identifiers.Limits;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Native.Admin;
using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Signing;
using Fabrica.Identifiers.Store;
using Fabrica.Security.ApiTokens;
using Fabrica.Security.Audit;
using Fabrica.Server.Api;
using NSec.Cryptography;
using OpenTelemetry.Metrics;

namespace Fabrica.Server.Hosting;

/// <summary>The identifier node of a platform process (issue 5): what it owns, where the native protocol listens.</summary>
public sealed record IdentifierNodeSettings
{
    /// <summary>Prefixes this node is authoritative for (<c>--prefix</c>, repeatable).</summary>
    public IReadOnlyList<string> Prefixes { get; init; } = [];

    public NodeRole Role { get; init; } = NodeRole.Enterprise;

    /// <summary>Handle native protocol port, UDP and TCP: 2641 (IANA's "hdl-srv") by default; 0 = any free port.</summary>
    public int HandlePort { get; init; } = DefaultHandlePort;

    public const int DefaultHandlePort = 2641;

    /// <summary>Roots to resolve through (<c>--root host:port</c>), for the recursive resolver; on a root, its peer roots.</summary>
    public IReadOnlyList<string> Roots { get; init; } = [];

    /// <summary>File with the roots' public key(s), hex, one per line: the trust anchors (<c>--root-key</c>).</summary>
    public string? RootKeyFile { get; init; }

    /// <summary>Per-client limit of public resolution (REST GET and the native protocol); <see cref="RateLimitOptions.Off"/> turns it off.</summary>
    public RateLimitOptions RateLimit { get; init; } = new();

    /// <summary>How often a root compares its root data with its peers' (and at start).</summary>
    public TimeSpan RootSyncInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the resolver waits for one server before asking the next.</summary>
    public TimeSpan ServerTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The DNS front end (ONS/ORS NAPTR, handle TXT/URI; <c>--dns-port</c>); null = none (the CLI always sets one).</summary>
    public Fabrica.Identifiers.Dns.DnsServerOptions? Dns { get; init; }
}

/// <summary>
/// Wires Fabrica.Identifiers into a host: the handle store in <c>&lt;data&gt;/identifiers.db</c>, the node, the recursive
/// resolver (from <c>--root</c>/<c>--root-key</c>), native administration, the rate limit, REST and native listeners.
/// </summary>
internal static class IdentifierServices
{
    public static async Task AddFabricaIdentifiersAsync(this IServiceCollection services, FabricaServerOptions options, CancellationToken cancellationToken)
    {
        var settings = options.Identifiers;
        var resolver = CreateResolver(settings);
        var store = await HandleStore.OpenAsync(Path.Combine(options.DataDirectory, "identifiers.db"), TimeProvider.System, cancellationToken).ConfigureAwait(false);
        var key = LoadOrCreateSigningKey(Path.Combine(options.DataDirectory, "identifier-signing.key"));
        var first = settings.Prefixes.Select(p => HandleName.NormalizePrefix(p)).FirstOrDefault(p => p is not null);
        var node = new IdentifierNode(store, new IdentifierNodeOptions
        {
            Role = settings.Role,
            Prefixes = settings.Prefixes,
            SigningKey = key,
            SignerHandle = first is null ? "0.NA/0.NA" : "0.NA/" + first,
        });
        var limiter = new ClientRateLimiter(settings.RateLimit);
        services.AddSingleton(store);
        services.AddSingleton(node);
        services.AddSingleton(limiter);
        if (resolver is not null)
            services.AddSingleton(resolver);
        services.AddSingleton(new HandleRestService(node, resolver, limiter.Enabled ? limiter : null));
        // Part 2: scheme mapping (GS1/EPC/OID/Ecode → handles) and the GS1 Digital Link resolver over it.
        services.AddSingleton(sp => new Fabrica.Identifiers.Mapping.IdentifierMapper(node, sp.GetService<ILogger<Fabrica.Identifiers.Mapping.IdentifierMapper>>()));
        services.AddSingleton(sp => new Fabrica.Identifiers.DigitalLink.DigitalLinkResolver(sp.GetRequiredService<Fabrica.Identifiers.Mapping.IdentifierMapper>(), sp.GetService<ILogger<Fabrica.Identifiers.DigitalLink.DigitalLinkResolver>>()));
        services.AddSingleton(sp => new Fabrica.Identifiers.DigitalLink.DigitalLinkRegistry(sp.GetRequiredService<Fabrica.Identifiers.Mapping.IdentifierMapper>()));
        services.AddSingleton<HandleProtocolListener>();
        services.AddHostedService(sp => sp.GetRequiredService<HandleProtocolListener>());
        services.AddIdentifierDns(settings);
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(IdentifierMetrics.MeterName));
    }

    /// <summary>The resolver through <c>--root</c> host:port entries, trusting the keys of <c>--root-key</c>; null without roots.</summary>
    private static RecursiveResolver? CreateResolver(IdentifierNodeSettings settings)
    {
        if (settings.Roots.Count == 0)
            return null;
        if (settings.RootKeyFile is null)
            throw new ArgumentException("--root needs --root-key: the public key(s) the root data must be signed with.");
        return new RecursiveResolver(settings.Roots.Select(HandleEndPoints.Parse).ToList(), TrustAnchors.Read(settings.RootKeyFile),
            new ResolverOptions { ServerTimeout = settings.ServerTimeout });
    }

    /// <summary>The prefix owner's Ed25519 key: created on first start (hex, mode 0600), read afterwards; its public half is written beside it.</summary>
    private static Key LoadOrCreateSigningKey(string path)
    {
        Key key;
        if (File.Exists(path))
        {
            key = Ed25519Keys.ImportPrivate(Ed25519Keys.ReadKeyFile(path));
        }
        else
        {
            key = Ed25519Keys.Generate();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var file = new StreamWriter(path, System.Text.Encoding.ASCII, options);
            file.WriteLine(Convert.ToHexStringLower(Ed25519Keys.ExportPrivate(key)));
        }
        // The public key is what other nodes trust (--root-key) or put in a delegation; it is no secret.
        File.WriteAllText(Path.ChangeExtension(path, ".pub"), Convert.ToHexStringLower(Ed25519Keys.ExportPublic(key)) + "\n");
        return key;
    }
}

/// <summary>What the identifier node of a running server is bound to.</summary>
public static class IdentifierServerExtensions
{
    /// <summary>The Handle native protocol's bound port (UDP and TCP), for the ready line.</summary>
    public static int HandlePort(this FabricaServer server) => server.Services.GetRequiredService<HandleProtocolListener>().Port;
}

/// <summary>
/// Runs the Handle native protocol listener (UDP + TCP), keeps the node's own prefix records current, flushes
/// resolution statistics every minute and at stop, and on a root with peers copies newer root data from them.
/// </summary>
internal sealed partial class HandleProtocolListener(
    IdentifierNode node,
    FabricaServerOptions options,
    ClientRateLimiter limiter,
    IServiceProvider services,
    ILogger<HandleProtocolServer> serverLogger) : BackgroundService
{
    private HandleProtocolServer? _server;

    private int _port;

    public int Port => _port != 0 ? _port : throw new InvalidOperationException("The Handle listener has not started.");

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var resolver = services.GetService<RecursiveResolver>();
        var administration = new HandleAdministration(node, services.GetService<IAuditLog>(), resolver is null ? null : async (handle, ct) =>
        {
            var resolved = await resolver.ResolveAsync(handle.ToString(), ct).ConfigureAwait(false);
            return resolved.Code == Fabrica.Identifiers.Native.ResponseCode.Success ? HandleRecord.Create(handle, resolved.Values) : null;
        });
        var processor = new HandleRequestProcessor(node, SiteInfo, new HandleProcessorOptions
        {
            Resolver = resolver,
            Administration = administration,
            RateLimiter = limiter.Enabled ? limiter : null,
        });
        _server = new HandleProtocolServer(processor, serverLogger);
        _server.Start(new IPEndPoint(options.BindAddress, options.Identifiers.HandlePort));
        _port = _server.EndPoint!.Port;
        await node.PublishOwnPrefixRecordsAsync(SiteInfo(), cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>This node as an HS_SITE: one server at the bound address, its signing key, query+admin on UDP and TCP.</summary>
    private SiteInfo SiteInfo()
    {
        var endPoint = new IPEndPoint(options.BindAddress, _port);
        var address = endPoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : endPoint.Address;
        var key = node.Options.SigningKey is { } k ? Ed25519Keys.ToHsPubKey(Ed25519Keys.ExportPublic(k)) : [];
        return new SiteInfo(1, [new SiteServer(1, address, key,
            [new SiteInterface(SiteInterface.Services.AdminAndQuery, SiteInterface.Transport.Udp, endPoint.Port),
             new SiteInterface(SiteInterface.Services.AdminAndQuery, SiteInterface.Transport.Tcp, endPoint.Port)])]);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Identifiers;
        var sync = settings.Role == NodeRole.Root && settings.Roots.Count > 0 && settings.RootKeyFile is not null
            ? new RootDataSync(node, TrustAnchors.Read(settings.RootKeyFile), settings.ServerTimeout)
            : null;
        var peers = settings.Roots.Select(HandleEndPoints.Parse).Where(p => p.Port != _port || !IPAddress.IsLoopback(p.Address)).ToList();
        var flushEvery = TimeSpan.FromMinutes(1);
        var interval = sync is null ? flushEvery : TimeSpan.FromTicks(Math.Min(flushEvery.Ticks, settings.RootSyncInterval.Ticks));
        var lastFlush = DateTime.UtcNow;
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                if (sync is not null)
                    await SyncRootDataAsync(sync, peers, stoppingToken);
                if (DateTime.UtcNow - lastFlush >= flushEvery)
                {
                    lastFlush = DateTime.UtcNow;
                    await node.Store.Statistics.FlushAsync(stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SyncRootDataAsync(RootDataSync sync, IReadOnlyList<IPEndPoint> peers, CancellationToken cancellationToken)
    {
        foreach (var peer in peers)
        {
            try
            {
                var result = await sync.SyncFromAsync(peer, cancellationToken);
                if (result.Replaced)
                    Log.RootDataReplaced(serverLogger, peer.ToString(), result.PeerSerial);
                else if (result.Problem is not null)
                    Log.RootDataRefused(serverLogger, peer.ToString(), result.Problem);
            }
            catch (Exception e) when (e is TimeoutException or HandleProtocolException)
            {
                Log.RootDataRefused(serverLogger, peer.ToString(), e.Message);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The host may be stopped twice (SIGTERM, then FabricaServer.DisposeAsync): only the first stop closes things.
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync();
            await node.Store.DisposeAsync();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5110, Level = LogLevel.Information, Message = "Root data from peer {Peer} with serial {Serial} replaced ours")]
        public static partial void RootDataReplaced(ILogger logger, string peer, long serial);

        [LoggerMessage(EventId = 5111, Level = LogLevel.Debug, Message = "Root data of peer {Peer} not taken: {Problem}")]
        public static partial void RootDataRefused(ILogger logger, string peer, string problem);
    }
}

/// <summary>
/// An identifier node alone (<c>fabrica idnode</c>): the Handle.Net REST API, the native protocol, API tokens and the
/// audit log, without the MQTT broker, ingest or the time-series storage engine that <see cref="FabricaServer"/> always
/// starts. A root or industry node has no telemetry to serve; leaving those parts out keeps its memory, start-up time
/// and attack surface small. It uses the same data directory layout (identifiers.db, fabrica.db for tokens, audit/).
/// </summary>
public sealed class IdentifierNodeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions _http;

    private IdentifierNodeServer(WebApplication app, Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions http, AdminTokenFile adminToken)
    {
        _app = app;
        _http = http;
        AdminToken = adminToken;
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>Where the first admin token is, and whether this start created it.</summary>
    public AdminTokenFile AdminToken { get; }

    public int HttpPort => _http.IPEndPoint!.Port;

    public int HandlePort => _app.Services.GetRequiredService<HandleProtocolListener>().Port;

    /// <summary>The DNS front end's port, or null when it runs none.</summary>
    public int? DnsPort => _app.Services.DnsPort();

    public static async Task<IdentifierNodeServer> StartAsync(FabricaServerOptions options, Action<ILoggingBuilder>? configureLogging = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        configureLogging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions? http = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.BindAddress, options.HttpPort, l => http = l));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, Api.FabricaJsonContext.Default));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter("Fabrica.Security").AddPrometheusExporter());
        builder.Services.AddFabricaSecurity(options);
        var loggers = LoggerFactory.Create(l => configureLogging?.Invoke(l));
        var audit = await SecurityServices.OpenAuditLogAsync(options, TimeProvider.System, loggers, cancellationToken).ConfigureAwait(false);
        builder.Services.AddSingleton<IAuditLog>(audit);
        await builder.Services.AddFabricaIdentifiersAsync(options, cancellationToken).ConfigureAwait(false);

        var app = builder.Build();
        var adminToken = await app.Services.InitializeSecurityAsync(options, cancellationToken).ConfigureAwait(false);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        Auth.AuthenticationPipeline.UseBearerAuthentication(app);
        app.UseAuthorization();
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Auth.Policies.Viewer);
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok"))).AllowAnonymous();
        app.MapGroup("/api/v1/tokens").WithTags("Tokens").MapTokensApi();
        app.MapHandlesApi();
        app.MapIdentifierMappingApi();
        app.MapDigitalLinkApi();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await audit.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new IdentifierNodeServer(app, http!, adminToken);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        var audit = (AuditLog)_app.Services.GetRequiredService<IAuditLog>();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await audit.DisposeAsync().ConfigureAwait(false);
    }
}
