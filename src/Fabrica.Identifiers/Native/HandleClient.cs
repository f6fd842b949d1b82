using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Fabrica.Identifiers.Native;

/// <summary>
/// Sends one request over UDP and waits for its response (RFC 3652 §2.1), falling back to TCP when the answer comes
/// back truncated. One socket per request keeps requests independent; a stopped server shows up as a timeout or as
/// an ICMP "port unreachable" (connection reset), both reported as <see cref="TimeoutException"/>.
/// </summary>
public sealed class HandleClient(TimeSpan timeout)
{
    public TimeSpan Timeout => timeout;

    public async Task<HandleMessage> SendAsync(IPEndPoint server, MessageHeader header, byte[] body, CancellationToken cancellationToken = default)
    {
        var requestId = Random.Shared.Next(1, int.MaxValue);
        var request = HandleMessage.Encode(requestId, header, body);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var udp = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            await udp.ConnectAsync(server, deadline.Token).ConfigureAwait(false);
            await udp.SendAsync(request, SocketFlags.None, deadline.Token).ConfigureAwait(false);
            var buffer = ArrayPool<byte>.Shared.Rent(65536);
            try
            {
                while (true)
                {
                    var received = await udp.ReceiveAsync(buffer, SocketFlags.None, deadline.Token).ConfigureAwait(false);
                    var response = HandleMessage.ReadDatagram(buffer.AsSpan(0, received));
                    if (response.Envelope.RequestId != requestId)
                        continue;
                    if ((response.Envelope.Flags & MessageEnvelope.Truncated) == 0)
                        return response;
                    break;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return await SendTcpAsync(server, request, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No answer from {server} within {timeout.TotalMilliseconds} ms.");
        }
        catch (SocketException e)
        {
            throw new TimeoutException($"{server} did not answer: {e.SocketErrorCode}.", e);
        }
    }

    private static async Task<HandleMessage> SendTcpAsync(IPEndPoint server, byte[] request, CancellationToken cancellationToken)
    {
        using var tcp = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        await tcp.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var received = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var read = await tcp.ReceiveAsync(received.GetMemory(4096), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
                throw new HandleProtocolException("The server closed the connection before a whole response.");
            received.Advance(read);
            if (TryReadOne(received.WrittenMemory, out var message))
                return message;
        }
    }

    private static bool TryReadOne(ReadOnlyMemory<byte> bytes, out HandleMessage message)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        return HandleMessage.TryRead(ref reader, out message);
    }
}
