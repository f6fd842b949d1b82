using System.Net;
using System.Net.Sockets;
using Fabrica.Identifiers.Transport;

namespace Fabrica.Identifiers.Native;

public sealed partial class HandleProtocolServer
{
    /// <summary>Answers up to this size go out in the batch; larger ones (rare: big records) are sent on their own.</summary>
    private const int BatchedAnswerBytes = 8192;

    private readonly List<Task> _batchedLoops = [];

    /// <summary>Batched UDP (recvmmsg/sendmmsg) on 64-bit Linux, as the DNS front end does; false = one datagram per call.</summary>
    public bool BatchedUdp { get; init; } = true;

    /// <summary>
    /// Answers one request of a recvmmsg batch (<see cref="BatchedUdpServer"/>, on Linux, as the DNS front end does):
    /// no task or socket completion is scheduled per datagram. A request whose answer is not ready at once (recursive
    /// resolution through the hierarchy, an administrative write) is finished asynchronously and its answer sent on its
    /// own, so a slow upstream never holds the batch; so is an answer larger than <see cref="BatchedAnswerBytes"/>.
    /// Requests larger than a slot (<see cref="LinuxDatagrams.SlotBytes"/>) are dropped; Handle clients send large
    /// messages over TCP.
    /// </summary>
    private int AnswerBatched(BatchedDatagram datagram, Span<byte> answer)
    {
        if (datagram.Sender is not { } sender)
            return 0;
        if (Answer(datagram.Payload, sender, _stopping.Token) is not { } response)
            return 0;
        if (response.Length <= answer.Length)
        {
            response.CopyTo(answer);
            return response.Length;
        }
        SendAlone(response, sender);
        return 0;
    }

    /// <summary>The answer when it is ready now; null when there is none or it will be sent later on its own.</summary>
    private byte[]? Answer(ReadOnlySpan<byte> datagram, IPEndPoint sender, CancellationToken cancellationToken)
    {
        if (datagram.IsEmpty)
        {
            Log.MalformedDatagram(_logger, sender.ToString(), $"larger than {LinuxDatagrams.SlotBytes} bytes; use TCP");
            return null;
        }
        ValueTask<byte[]> pending;
        try
        {
            pending = _processor.RespondAsync(HandleMessage.ReadDatagram(datagram), sender, "udp", cancellationToken);
        }
        catch (HandleProtocolException e)
        {
            Log.MalformedDatagram(_logger, sender.ToString(), e.Message);
            return null;
        }
        if (pending.IsCompletedSuccessfully)
            return pending.Result;
        _ = SendLaterAsync(pending, sender);
        return null;
    }

    private async Task SendLaterAsync(ValueTask<byte[]> pending, IPEndPoint sender)
    {
        try
        {
            SendAlone(await pending.ConfigureAwait(false), sender);
        }
        catch (Exception e) when (e is HandleProtocolException or OperationCanceledException)
        {
        }
    }

    /// <summary>A synchronous send: an asynchronous one would switch the socket to non-blocking and spin the recvmmsg loop.</summary>
    private void SendAlone(byte[] response, IPEndPoint sender)
    {
        try
        {
            _udp?.SendTo(response, SocketFlags.None, sender);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}
