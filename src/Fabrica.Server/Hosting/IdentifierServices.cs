using System.Net;
using Fabrica.Identifiers.Http;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Signing;
using Fabrica.Identifiers.Store;

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

    /// <summary>Roots to resolve through (<c>--root host:port</c>), for the recursive resolver.</summary>
    public IReadOnlyList<string> Roots { get; init; } = [];

    /// <summary>File with the roots' public key(s), hex, one per line: the trust anchors (<c>--root-key</c>).</summary>
    public string? RootKeyFile { get; init; }
}

/// <summary>Wires Fabrica.Identifiers into the host: the handle store in <c>&lt;data&gt;/identifiers.db</c>, the node, REST and native listeners.</summary>
internal static class IdentifierServices
{
    public static async Task AddFabricaIdentifiersAsync(this IServiceCollection services, FabricaServerOptions options, CancellationToken cancellationToken)
    {
        var settings = options.Identifiers;
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
        services.AddSingleton(store);
        services.AddSingleton(node);
        services.AddSingleton<HandleRestService>();
        services.AddSingleton<HandleProtocolListener>();
        services.AddHostedService(sp => sp.GetRequiredService<HandleProtocolListener>());
    }

    /// <summary>The prefix owner's Ed25519 key: created on first start (hex, mode 0600), read afterwards.</summary>
    private static NSec.Cryptography.Key LoadOrCreateSigningKey(string path)
    {
        if (File.Exists(path))
            return Ed25519Keys.ImportPrivate(Ed25519Keys.ReadKeyFile(path));
        var key = Ed25519Keys.Generate();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var file = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        file.WriteLine(Convert.ToHexStringLower(Ed25519Keys.ExportPrivate(key)));
        return key;
    }
}

/// <summary>What the identifier node of a running server is bound to.</summary>
public static class IdentifierServerExtensions
{
    /// <summary>The Handle native protocol's bound port (UDP and TCP), for the ready line.</summary>
    public static int HandlePort(this FabricaServer server) => server.Services.GetRequiredService<HandleProtocolListener>().Port;
}

/// <summary>Runs the Handle native protocol listener (UDP + TCP) and flushes resolution statistics every minute and at stop.</summary>
internal sealed class HandleProtocolListener(
    IdentifierNode node,
    FabricaServerOptions options,
    ILogger<HandleProtocolServer> serverLogger) : BackgroundService
{
    private HandleProtocolServer? _server;

    private int _port;

    public int Port => _port != 0 ? _port : throw new InvalidOperationException("The Handle listener has not started.");

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var processor = new HandleRequestProcessor(node, SiteInfo);
        _server = new HandleProtocolServer(processor, serverLogger);
        _server.Start(new IPEndPoint(options.BindAddress, options.Identifiers.HandlePort));
        _port = _server.EndPoint!.Port;
        return base.StartAsync(cancellationToken);
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
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await node.Store.Statistics.FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
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
}
