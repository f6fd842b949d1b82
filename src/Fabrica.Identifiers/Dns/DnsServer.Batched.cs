using Fabrica.Identifiers.Transport;
using Microsoft.Extensions.Logging;

namespace Fabrica.Identifiers.Dns;

public sealed partial class DnsServer
{
    /// <summary>
    /// Answers one query of a recvmmsg batch (<see cref="BatchedUdpServer"/>, on Linux) synchronously into the batch's
    /// answer buffer: a client over the rate limit gets a truncated answer (it retries over TCP), others a full one,
    /// counted and logged as on the one-datagram-per-call path.
    /// </summary>
    private int AnswerBatched(BatchedDatagram datagram, Span<byte> response)
    {
        if (_limiter is not null && datagram.Sender is { } sender && !_limiter.TryAcquire(sender.Address))
        {
            DnsMetrics.RateLimited();
            if (_logger.IsEnabled(LogLevel.Debug))
                Log.RateLimited(_logger, sender.ToString());
            return _responder.Respond(datagram.Payload, response, DnsTransport.Udp, out _, out _, truncate: true);
        }
        var length = _responder.Respond(datagram.Payload, response, DnsTransport.Udp, out var code, out var status);
        Count(DnsTransport.Udp, length, code, status, response, _logger.IsEnabled(LogLevel.Debug) ? datagram.Sender?.ToString() : null);
        return length;
    }
}
