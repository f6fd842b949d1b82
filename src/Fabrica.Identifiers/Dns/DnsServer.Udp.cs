using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Fabrica.Identifiers.Dns;

public sealed partial class DnsServer
{
    /// <summary>
    /// One UDP loop: receive a datagram, answer it synchronously into a second buffer, send. Several loops share the
    /// socket. The SocketAddress overloads reuse one address object, so a query costs no allocation.
    /// </summary>
    private async Task ServeUdpAsync(CancellationToken cancellationToken)
    {
        var request = GC.AllocateUninitializedArray<byte>(ushort.MaxValue, pinned: true);
        var response = GC.AllocateUninitializedArray<byte>(Math.Max(_options.MaxUdpPayload, DnsWire.ClassicUdpSize), pinned: true);
        var peer = new SocketAddress(_udp!.AddressFamily);
        var template = new IPEndPoint(_udp.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _udp.ReceiveFromAsync(request, SocketFlags.None, peer, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var length = Answer(request.AsSpan(0, received), response, peer, template);
            if (length == 0)
                continue;
            try
            {
                await _udp.SendToAsync(response.AsMemory(0, length), SocketFlags.None, peer, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // The client went away (ICMP unreachable) or the send buffer is full: UDP answers are best effort.
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private int Answer(ReadOnlySpan<byte> request, Span<byte> response, SocketAddress peer, IPEndPoint template)
    {
        if (_limiter is not null && !_limiter.TryAcquire(((IPEndPoint)template.Create(peer)).Address))
        {
            // Like BIND's RRL "slip": a truncated answer costs the (possibly spoofed) source nothing to amplify,
            // and a genuine client retries over TCP, which needs a handshake.
            DnsMetrics.RateLimited();
            if (_logger.IsEnabled(LogLevel.Debug))
                Log.RateLimited(_logger, template.Create(peer).ToString()!);
            return _responder.Respond(request, response, DnsTransport.Udp, out _, out _, truncate: true);
        }
        var length = _responder.Respond(request, response, DnsTransport.Udp, out var code, out var status);
        Count(DnsTransport.Udp, length, code, status, response, _logger.IsEnabled(LogLevel.Debug) ? template.Create(peer).ToString() : null);
        return length;
    }

    private void Count(DnsTransport transport, int length, DnsResponseCode code, DnsQueryStatus status, ReadOnlySpan<byte> response, string? source)
    {
        if (status is DnsQueryStatus.Drop or DnsQueryStatus.FormErr)
        {
            DnsMetrics.MalformedMessage(transport);
            Log.Malformed(_logger, source ?? "?", transport, status);
        }
        if (length == 0)
            return;
        DnsMetrics.Answered(transport, code);
        if ((response[2] & 0x02) != 0)
            DnsMetrics.TruncatedAnswer();
    }
}
