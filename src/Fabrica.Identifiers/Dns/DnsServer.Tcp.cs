using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace Fabrica.Identifiers.Dns;

public sealed partial class DnsServer
{
    private int _openConnections;

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
            var open = Interlocked.Increment(ref _openConnections);
            if (open > _options.MaxTcpConnections)
            {
                Interlocked.Decrement(ref _openConnections);
                Log.TooManyConnections(_logger, client.RemoteEndPoint?.ToString() ?? "?", open - 1);
                client.Dispose();
                continue;
            }
            _ = Task.Run(async () =>
            {
                try
                {
                    await ServeTcpAsync(client, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _openConnections);
                }
            }, CancellationToken.None);
        }
    }

    /// <summary>
    /// RFC 1035 §4.2.2 / RFC 7766: each message is preceded by its length (16 bits); queries may be pipelined and are
    /// answered in order. A length shorter than a header or above <see cref="DnsServerOptions.MaxTcpQueryBytes"/>, or
    /// an idle connection, is closed; a malformed query of acceptable length gets FORMERR and the connection goes on.
    /// </summary>
    private async Task ServeTcpAsync(Socket client, CancellationToken cancellationToken)
    {
        client.NoDelay = true;
        var source = client.RemoteEndPoint;
        var stream = new NetworkStream(client, ownsSocket: true);
        var response = ArrayPool<byte>.Shared.Rent(2 + ushort.MaxValue);
        var query = ArrayPool<byte>.Shared.Rent(_options.MaxTcpQueryBytes);
        var reader = PipeReader.Create(stream);
        var reason = "closed by the client";
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(_options.TcpIdleTimeout);
                ReadResult result;
                try
                {
                    result = await reader.ReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    reason = "idle";
                    break;
                }
                var buffer = result.Buffer;
                var consumed = buffer.Start;
                try
                {
                    while (TryReadFrame(ref buffer, query, out var length))
                    {
                        consumed = buffer.Start;
                        var written = WriteFramedAnswer(query.AsSpan(0, length), response, source);
                        if (written > 0)
                            await stream.WriteAsync(response.AsMemory(0, written), cancellationToken).ConfigureAwait(false);
                    }
                    if (buffer.Length >= 2 && FrameLength(buffer) is var bad && (bad < DnsWire.HeaderSize || bad > _options.MaxTcpQueryBytes))
                    {
                        reason = "length " + bad + " out of bounds";
                        DnsMetrics.MalformedMessage(DnsTransport.Tcp);
                        break;
                    }
                }
                finally
                {
                    reader.AdvanceTo(consumed, result.Buffer.End);
                }
                if (result.IsCompleted)
                    break;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            reason = e.GetType().Name;
        }
        finally
        {
            Log.TcpClosed(_logger, source?.ToString() ?? "?", reason);
            await reader.CompleteAsync().ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
            ArrayPool<byte>.Shared.Return(response);
            ArrayPool<byte>.Shared.Return(query);
        }
    }

    private static int FrameLength(ReadOnlySequence<byte> buffer)
    {
        Span<byte> prefix = stackalloc byte[2];
        buffer.Slice(0, 2).CopyTo(prefix);
        return BinaryPrimitives.ReadUInt16BigEndian(prefix);
    }

    /// <summary>Takes one whole frame off <paramref name="buffer"/> into <paramref name="query"/>; false when more bytes are needed or the length is out of bounds.</summary>
    private bool TryReadFrame(ref ReadOnlySequence<byte> buffer, byte[] query, out int length)
    {
        length = 0;
        if (buffer.Length < 2)
            return false;
        var frame = FrameLength(buffer);
        if (frame < DnsWire.HeaderSize || frame > _options.MaxTcpQueryBytes || buffer.Length < 2 + frame)
            return false;
        buffer.Slice(2, frame).CopyTo(query);
        buffer = buffer.Slice(2 + frame);
        length = frame;
        return true;
    }

    private int WriteFramedAnswer(ReadOnlySpan<byte> query, byte[] response, EndPoint? source)
    {
        var length = _responder.Respond(query, response.AsSpan(2, ushort.MaxValue), DnsTransport.Tcp, out var code, out var status);
        Count(DnsTransport.Tcp, length, code, status, response.AsSpan(2), source?.ToString());
        if (length == 0)
            return 0;
        BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)length);
        return 2 + length;
    }
}
