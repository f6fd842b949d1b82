using System.Net;
using System.Net.Sockets;
using Fabrica.Identifiers.Limits;
using Fabrica.Identifiers.Transport;
using Microsoft.Extensions.Logging;

namespace Fabrica.Identifiers.Dns;

/// <summary>
/// The DNS front end of an identifier node: an authoritative server for the ONS, ORS and handle zones on one port,
/// UDP and TCP (RFC 1035 §4.2, RFC 7766). Answers come from a <see cref="DnsRecordTable"/> through
/// <see cref="DnsResponder"/>; malformed messages get FORMERR or nothing, never an exception out of a loop.
/// </summary>
public sealed partial class DnsServer : IAsyncDisposable
{
    private readonly DnsResponder _responder;
    private readonly DnsServerOptions _options;
    private readonly ILogger _logger;
    private readonly ClientRateLimiter? _limiter;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private readonly List<Task> _udpLoops = [];
    private Socket? _udp;
    private Socket? _tcp;
    private int _disposed;

    public DnsServer(DnsResponder responder, DnsServerOptions options, ILogger<DnsServer> logger, TimeProvider? time = null)
    {
        _responder = responder;
        _options = options;
        _logger = logger;
        var limiter = new ClientRateLimiter(options.RateLimit, time);
        _limiter = limiter.Enabled ? limiter : null;
    }

    public IPEndPoint? EndPoint { get; private set; }

    /// <summary>Builds the zones of <paramref name="options"/>, follows <paramref name="source"/>, and returns a server ready to start.</summary>
    public static DnsServer Create(IDnsRecordSource source, DnsServerOptions options, ILogger<DnsServer> logger, TimeProvider? time = null)
    {
        var table = new DnsRecordTable(DnsZones.For(options, time ?? TimeProvider.System)).Follow(source);
        return new DnsServer(new DnsResponder(table, options), options, logger, time);
    }

    /// <summary>Binds TCP and UDP on the same port (port 0: a free one, the same for both) and starts serving.</summary>
    public void Start(IPAddress address)
    {
        (_tcp, _udp, var bound) = SharedPortSockets.Bind(new IPEndPoint(address, _options.Port));
        EndPoint = bound;
        // A large receive buffer absorbs bursts while the loops are busy (the kernel caps it at net.core.rmem_max).
        _udp.ReceiveBufferSize = 4 << 20;
        var batched = BatchedUdpServer.Supported && _options.BatchedUdp
            ? new BatchedUdpServer(_udp, Math.Max(_options.MaxUdpPayload, DnsWire.ClassicUdpSize), "dns-udp-", AnswerBatched)
            : null;
        for (var i = 0; i < Math.Max(1, _options.UdpLoops); i++)
            _udpLoops.Add(batched?.StartLoop(i, _stopping.Token) ?? Task.Run(() => ServeUdpAsync(_stopping.Token)));
        _loops.Add(Task.Run(() => AcceptTcpAsync(_stopping.Token)));
        Log.Listening(_logger, EndPoint!.ToString(), _responder.Table.NameCount, string.Join(", ", _responder.Table.Zones));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _tcp?.Dispose();
        await Task.WhenAll(_loops).ConfigureAwait(false);
        // Batched loops hold the socket's descriptor: close it only once they have returned (within the receive timeout).
        await Task.WhenAll(_udpLoops).ConfigureAwait(false);
        _udp?.Dispose();
        _stopping.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "DNS front end listening on {EndPoint} (UDP and TCP) with {Names} names in zones {Zones}")]
        public static partial void Listening(ILogger logger, string endPoint, int names, string zones);

        [LoggerMessage(EventId = 5202, Level = LogLevel.Debug, Message = "Malformed DNS message from {Source} over {Transport}: {Status}")]
        public static partial void Malformed(ILogger logger, string source, DnsTransport transport, DnsQueryStatus status);

        [LoggerMessage(EventId = 5203, Level = LogLevel.Debug, Message = "DNS query from {Source} over the rate limit: answered truncated")]
        public static partial void RateLimited(ILogger logger, string source);

        [LoggerMessage(EventId = 5204, Level = LogLevel.Warning, Message = "DNS TCP connection from {Source} closed at once: {Open} connections are open, the limit")]
        public static partial void TooManyConnections(ILogger logger, string source, int open);

        [LoggerMessage(EventId = 5205, Level = LogLevel.Debug, Message = "DNS TCP connection from {Source} closed: {Reason}")]
        public static partial void TcpClosed(ILogger logger, string source, string reason);
    }
}
