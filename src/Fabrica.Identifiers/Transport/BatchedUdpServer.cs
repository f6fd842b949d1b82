using System.Net;
using System.Net.Sockets;

namespace Fabrica.Identifiers.Transport;

/// <summary>
/// One UDP datagram of a batch, as handed to a <see cref="DatagramAnswerer"/>: its payload (empty when the kernel cut
/// it, larger than <see cref="LinuxDatagrams.SlotBytes"/>) and, on demand, its sender.
/// </summary>
internal readonly ref struct BatchedDatagram
{
    private readonly LinuxDatagrams _batch;
    private readonly int _index;

    public BatchedDatagram(LinuxDatagrams batch, int index)
    {
        _batch = batch;
        _index = index;
        Payload = batch.Datagram(index);
    }

    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The sender (allocates each time: read it only when it is needed, e.g. for a rate limit or a log).</summary>
    public IPEndPoint? Sender => _batch.Sender(_index);
}

/// <summary>
/// Writes the answer to <paramref name="datagram"/> into <paramref name="answer"/> and returns its length; 0 sends
/// nothing in the batch (no answer, or one the caller sends on its own).
/// </summary>
internal delegate int DatagramAnswerer(BatchedDatagram datagram, Span<byte> answer);

/// <summary>
/// The UDP receive/answer loop on Linux shared by the DNS front end and the Handle native protocol: each loop is a
/// dedicated thread that blocks in recvmmsg, answers the whole batch synchronously through a
/// <see cref="DatagramAnswerer"/> and sends the answers with one sendmmsg (<see cref="LinuxDatagrams"/>). Under load
/// a system call carries tens of requests instead of one and no task or socket completion is scheduled per datagram;
/// idle, the thread sleeps in the kernel. The socket's receive timeout lets a loop notice a stop, so the socket must
/// stay open until every loop's task has completed.
/// </summary>
internal sealed class BatchedUdpServer
{
    private static readonly TimeSpan StopCheckInterval = TimeSpan.FromMilliseconds(200);

    private readonly Socket _socket;
    private readonly int _maxAnswerBytes;
    private readonly string _threadName;
    private readonly DatagramAnswerer _answer;

    /// <param name="socket">A bound UDP socket; its receive timeout is set here.</param>
    /// <param name="maxAnswerBytes">The size of each answer buffer.</param>
    /// <param name="threadName">The loop threads' name prefix, followed by the loop's index.</param>
    /// <param name="answer">Answers one datagram; called on the loop's thread, so it must not block for long.</param>
    public BatchedUdpServer(Socket socket, int maxAnswerBytes, string threadName, DatagramAnswerer answer)
    {
        _socket = socket;
        _maxAnswerBytes = maxAnswerBytes;
        _threadName = threadName;
        _answer = answer;
        LinuxDatagrams.SetReceiveTimeout(socket, StopCheckInterval);
    }

    /// <summary>recvmmsg/sendmmsg are available (64-bit Linux).</summary>
    public static bool Supported => LinuxDatagrams.Supported;

    /// <summary>Starts loop <paramref name="index"/>; the task completes once the loop has returned after a stop or a socket failure.</summary>
    public Task StartLoop(int index, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Serve(cancellationToken);
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
            Name = _threadName + index,
        };
        thread.Start();
        return done.Task;
    }

    private void Serve(CancellationToken cancellationToken)
    {
        var datagrams = new LinuxDatagrams(_maxAnswerBytes);
        var socket = _socket.SafeHandle.DangerousGetHandle();
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
                var length = _answer(new BatchedDatagram(datagrams, i), datagrams.AnswerBuffer(i));
                if (length > 0)
                    datagrams.QueueAnswer(i, length);
            }
            datagrams.SendQueued(socket);
        }
    }
}
