using System.Net;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Signing;
using Fabrica.Identifiers.Store;
using Microsoft.Extensions.Logging.Abstractions;
using NSec.Cryptography;

namespace Fabrica.Identifiers.Tests.Resolution;

/// <summary>An identifier node in this process: its own SQLite file, the Handle protocol on a free 127.0.0.1 port (UDP + TCP).</summary>
internal sealed class LoopbackNode : IAsyncDisposable
{
    private readonly NodeRole _role;
    private readonly string[] _prefixes;
    private readonly string _signer;
    private HandleProtocolServer? _server;
    private Func<IdentifierNode, HandleProcessorOptions>? _processorOptions;

    private LoopbackNode(string directory, NodeRole role, string[] prefixes, Key key, string signer)
    {
        Directory = directory;
        _role = role;
        _prefixes = prefixes;
        Key = key;
        _signer = signer;
    }

    public string Directory { get; }

    public Key Key { get; }

    public IdentifierNode Node { get; private set; } = null!;

    public IPEndPoint EndPoint { get; private set; } = null!;

    public string DatabasePath => Path.Combine(Directory, "identifiers.db");

    /// <param name="processorOptions">Administration, resolver, rate limit for the native front end (none by default).</param>
    /// <param name="publishOwnPrefixRecords">Keep <c>0.NA/&lt;prefix&gt;</c> records with HS_SITE, HS_ADMIN and HS_PUBKEY, as the host does.</param>
    public static async Task<LoopbackNode> StartAsync(NodeRole role, string[] prefixes, Key? key = null, string signer = "0.NA/0.NA",
        Func<IdentifierNode, HandleProcessorOptions>? processorOptions = null, bool publishOwnPrefixRecords = false)
    {
        var directory = Path.Combine(Path.GetTempPath(), "fabrica-idnode-" + Guid.NewGuid().ToString("N")[..12]);
        var node = new LoopbackNode(directory, role, prefixes, key ?? Ed25519Keys.Generate(), signer) { _processorOptions = processorOptions };
        await node.StartAsync(0);
        if (publishOwnPrefixRecords)
            await node.Node.PublishOwnPrefixRecordsAsync(node.Site);
        return node;
    }

    private async Task StartAsync(int port)
    {
        var store = await HandleStore.OpenAsync(DatabasePath);
        Node = new IdentifierNode(store, new IdentifierNodeOptions { Role = _role, Prefixes = _prefixes, SigningKey = Key, SignerHandle = _signer });
        _server = new HandleProtocolServer(new HandleRequestProcessor(Node, () => Site, _processorOptions?.Invoke(Node)), NullLogger<HandleProtocolServer>.Instance);
        _server.Start(new IPEndPoint(IPAddress.Loopback, port));
        EndPoint = _server.EndPoint!;
    }

    public SiteInfo Site => new(1, [new SiteServer(1, IPAddress.Loopback, Ed25519Keys.ToHsPubKey(Ed25519Keys.ExportPublic(Key)),
        [new SiteInterface(SiteInterface.Services.AdminAndQuery, SiteInterface.Transport.Udp, EndPoint.Port),
         new SiteInterface(SiteInterface.Services.AdminAndQuery, SiteInterface.Transport.Tcp, EndPoint.Port)])]);

    /// <summary>The values of a delegation record pointing at this node: its HS_SITE and its key.</summary>
    public HandleValue[] DelegationValues(int ttl = 86400) =>
    [
        new HandleValue(1, HandleTypes.Site, Site.Encode(), ttl),
        Ed25519Keys.PublicKeyValue(300, Key, ttl),
    ];

    public async Task StopAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        _server = null;
        await Node.Store.DisposeAsync();
    }

    /// <summary>Starts again on the same port with what is on disk now.</summary>
    public Task RestartAsync() => StartAsync(EndPoint.Port);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await StopAsync();
        Key.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
