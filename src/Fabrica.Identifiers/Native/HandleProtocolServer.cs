using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Fabrica.Identifiers.Transport;
using Microsoft.Extensions.Logging;

namespace Fabrica.Identifiers.Native;

/// <summary>
/// The Handle native protocol on one port, UDP and TCP together (RFC 3652 §2.1; port 2641 by default). UDP answers
/// each datagram with one datagram; TCP reads messages with <see cref="HandleMessage.TryRead"/> from a pipe and
/// answers in order. Malformed input ends a TCP connection and drops a datagram. Port 0 takes a free port, the same
/// for both transports.
/// </summary>
public sealed partial class HandleProtocolServer : IAsyncDisposable
{
    private readonly HandleRequestProcessor _processor;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private Socket? _udp;
    private Socket? _tcp;

    public HandleProtocolServer(HandleRequestProcessor processor, ILogger<HandleProtocolServer> logger)
    {
        _processor = processor;
        _logger = logger;
    }

    public IPEndPoint? EndPoint { get; private set; }

    /// <summary>Binds UDP and TCP to <paramref name="endPoint"/> and starts serving; returns once both are bound.</summary>
    public void Start(IPEndPoint endPoint, int udpLoops = 2)
    {
        (_tcp, _udp, var bound) = SharedPortSockets.Bind(endPoint);
        EndPoint = bound;
        var batched = BatchedUdp && BatchedUdpServer.Supported ? new BatchedUdpServer(_udp, BatchedAnswerBytes, "handle-udp-", AnswerBatched) : null;
        for (var i = 0; i < udpLoops; i++)
        {
            if (batched is not null)
                _batchedLoops.Add(batched.StartLoop(i, _stopping.Token));
            else
                _loops.Add(Task.Run(() => ServeUdpAsync(_stopping.Token)));
        }
        _loops.Add(Task.Run(() => AcceptTcpAsync(_stopping.Token)));
    }

    private async Task ServeUdpAsync(CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(65536, pinned: true);
        EndPoint any = new IPEndPoint(EndPoint!.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp!.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            try
            {
                var request = HandleMessage.ReadDatagram(buffer.AsSpan(0, received.ReceivedBytes));
                var response = await _processor.RespondAsync(request, (IPEndPoint)received.RemoteEndPoint, "udp", cancellationToken).ConfigureAwait(false);
                await _udp.SendToAsync(response, SocketFlags.None, received.RemoteEndPoint, cancellationToken).ConfigureAwait(false);
            }
            catch (HandleProtocolException e)
            {
                Log.MalformedDatagram(_logger, received.RemoteEndPoint.ToString() ?? "?", e.Message);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                if (cancellationToken.IsCancellationRequested)
                    return;
            }
        }
    }

    private async Task AcceptTcpAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _tcp!.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeTcpAsync(client, cancellationToken), CancellationToken.None);
        }
    }

    private async Task ServeTcpAsync(Socket client, CancellationToken cancellationToken)
    {
        client.NoDelay = true;
        var remote = (IPEndPoint)client.RemoteEndPoint!;
        var stream = new NetworkStream(client, ownsSocket: true);
        await using (stream.ConfigureAwait(false))
        {
            var reader = PipeReader.Create(stream);
            try
            {
                while (true)
                {
                    var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    var buffer = result.Buffer;
                    var consumed = buffer.Start;
                    List<HandleMessage> requests;
                    try
                    {
                        requests = ReadRequests(buffer, ref consumed);
                    }
                    finally
                    {
                        reader.AdvanceTo(consumed, buffer.End);
                    }
                    foreach (var request in requests)
                    {
                        var response = await _processor.RespondAsync(request, remote, "tcp", cancellationToken).ConfigureAwait(false);
                        await stream.WriteAsync(response, cancellationToken).ConfigureAwait(false);
                    }
                    if (result.IsCompleted)
                        break;
                }
                await reader.CompleteAsync().ConfigureAwait(false);
            }
            catch (HandleProtocolException e)
            {
                Log.MalformedStream(_logger, client.RemoteEndPoint?.ToString() ?? "?", e.Message);
                await reader.CompleteAsync(e).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                await reader.CompleteAsync(e).ConfigureAwait(false);
            }
        }
    }

    private static List<HandleMessage> ReadRequests(ReadOnlySequence<byte> buffer, ref SequencePosition consumed)
    {
        var requests = new List<HandleMessage>(1);
        var sequence = new SequenceReader<byte>(buffer);
        while (HandleMessage.TryRead(ref sequence, out var request))
        {
            consumed = sequence.Position;
            requests.Add(request);
        }
        return requests;
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        // The batched loops use the socket's descriptor directly: let them notice the stop (receive timeout) before closing it.
        await Task.WhenAll(_batchedLoops).ConfigureAwait(false);
        _udp?.Dispose();
        _tcp?.Dispose();
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "Dropped a malformed Handle datagram from {Source}: {Problem}")]
        public static partial void MalformedDatagram(ILogger logger, string source, string problem);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Closed a Handle TCP connection from {Source} after malformed data: {Problem}")]
        public static partial void MalformedStream(ILogger logger, string source, string problem);
    }
}
