using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Fabrica.Identifiers.Dns;

public sealed partial class DnsServer
{
    /// <summary>
    /// The UDP loop on Linux: a dedicated thread that blocks in recvmmsg, answers the whole batch synchronously and
    /// sends the answers with one sendmmsg (<see cref="LinuxDatagrams"/>). Under load a system call carries tens of
    /// queries instead of one; idle, the thread sleeps in the kernel. The socket's receive timeout lets it notice a stop.
    /// </summary>
    private Task StartBatchedUdpLoop(int index, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                ServeUdpBatched(cancellationToken);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
            }
            finally
            {
                done.TrySetResult();
            }
        })
        {
            IsBackground = true,
            Name = "dns-udp-" + index,
        };
        thread.Start();
        return done.Task;
    }

    private void ServeUdpBatched(CancellationToken cancellationToken)
    {
        var datagrams = new LinuxDatagrams(Math.Max(_options.MaxUdpPayload, DnsWire.ClassicUdpSize));
        var socket = _udp!.SafeHandle.DangerousGetHandle();
        while (!cancellationToken.IsCancellationRequested)
        {
            var count = datagrams.Receive(socket, out var error);
            if (count < 0)
            {
                if (LinuxDatagrams.IsTransient(error))
                    continue;
                return;
            }
            for (var i = 0; i < count; i++)
            {
                var request = datagrams.Datagram(i);
                var response = datagrams.AnswerBuffer(i);
                int length;
                if (_limiter is not null && datagrams.Sender(i) is { } sender && !_limiter.TryAcquire(sender.Address))
                {
                    DnsMetrics.RateLimited();
                    if (_logger.IsEnabled(LogLevel.Debug))
                        Log.RateLimited(_logger, sender.ToString());
                    length = _responder.Respond(request, response, DnsTransport.Udp, out _, out _, truncate: true);
                }
                else
                {
                    length = _responder.Respond(request, response, DnsTransport.Udp, out var code, out var status);
                    Count(DnsTransport.Udp, length, code, status, response, _logger.IsEnabled(LogLevel.Debug) ? datagrams.Sender(i)?.ToString() : null);
                }
                if (length > 0)
                    datagrams.QueueAnswer(i, length);
            }
            datagrams.SendQueued(socket);
        }
    }
}
