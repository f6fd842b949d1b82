using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Fabrica.Protocols.Modbus;

/// <summary>
/// One TCP connection of a client: writes requests, and a read loop that matches responses to requests by
/// transaction id (Messaging on TCP/IP §4.2.1, "the client ... may send several requests without waiting").
/// Anything unmatched or malformed is discarded and counted; only a socket error or EOF ends the connection,
/// and then every request in flight fails with a <see cref="ModbusConnectionException"/>.
/// </summary>
internal sealed class ModbusConnection : IAsyncDisposable
{
    private readonly ConcurrentDictionary<ushort, ModbusPendingRequest> _pending = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly ModbusClientCounters _counters;
    private readonly ModbusClientOptions _options;
    private readonly ILogger _logger;
    private readonly string _endpoint;
    private readonly Task _readLoop;
    private int _nextTransactionId;
    private volatile bool _closed;
    private int _closing;
    private bool _resyncing;

    private ModbusConnection(Socket socket, ModbusClientOptions options, ModbusClientCounters counters, ILogger logger, string endpoint)
    {
        _socket = socket;
        _options = options;
        _counters = counters;
        _logger = logger;
        _endpoint = endpoint;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 4096, leaveOpen: true));
        _writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public bool IsOpen => !_closed;

    public static async ValueTask<ModbusConnection> OpenAsync(ModbusClientOptions options, ModbusClientCounters counters, ILogger logger, string endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            await socket.ConnectAsync(options.Host, options.Port, timeout.Token).ConfigureAwait(false);
            return new ModbusConnection(socket, options, counters, logger, endpoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Gives the request a free transaction id, registers it, and sends it.</summary>
    public async ValueTask SendAsync(ModbusPendingRequest request, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        do
        {
            request.TransactionId = (ushort)Interlocked.Increment(ref _nextTransactionId);
        }
        while (!_pending.TryAdd(request.TransactionId, request));

        // Close() sets the flag before it fails what is registered: re-checking here leaves no request orphaned.
        if (_closed && Forget(request))
        {
            ThrowIfClosed();
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            WriteFrame(request);
            var flush = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flush.IsCompleted)
            {
                throw new ModbusConnectionException($"The connection to {_endpoint} is closed.");
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            Forget(request);
            Close(new ModbusConnectionException($"Sending to {_endpoint} failed: {ex.Message}", ex));
            throw new ModbusConnectionException($"Sending to {_endpoint} failed: {ex.Message}", ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Takes a request back (timeout, cancellation); false when the read loop or a close already owns it.</summary>
    public bool Forget(ModbusPendingRequest request) =>
        _pending.TryRemove(new KeyValuePair<ushort, ModbusPendingRequest>(request.TransactionId, request));

    private void WriteFrame(ModbusPendingRequest request)
    {
        var span = _writer.GetSpan(ModbusLimits.MaxAduLength);
        var pduLength = request.WritePdu(span[ModbusLimits.MbapHeaderLength..]);
        ModbusFrameWriter.WriteHeader(span, request.TransactionId, request.UnitId, pduLength);
        _writer.Advance(ModbusLimits.MbapHeaderLength + pduLength);
    }

    private async Task ReadLoopAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    ReadFrames(ref buffer);
                    if (result.IsCompleted || result.IsCanceled)
                    {
                        if (!buffer.IsEmpty)
                        {
                            _counters.OnDiscarded(ModbusProtocolError.TruncatedPdu);
                        }

                        break;
                    }
                }
                finally
                {
                    _reader.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            error = ex;
        }

        Close(new ModbusConnectionException(
            error is null ? $"{_endpoint} closed the connection." : $"The connection to {_endpoint} failed: {error.Message}", error));
    }

    private void ReadFrames(ref ReadOnlySequence<byte> buffer)
    {
        while (true)
        {
            if (_resyncing && !ModbusFrameReader.CanStartFrame(buffer))
            {
                // Still garbage: slide on without the cost of an exception per byte (found by the modbus fuzz target).
                buffer = buffer.Slice(1);
                continue;
            }

            ModbusFrame frame;
            SequencePosition consumed;
            try
            {
                if (!ModbusFrameReader.TryRead(buffer, out frame, out consumed))
                {
                    return;
                }
            }
            catch (ModbusProtocolException ex)
            {
                // A header that is not Modbus. With a sane length the frame is skipped whole; otherwise the stream
                // lost its framing and we slide one byte at a time to the next plausible header, counting once.
                // While sliding, lengths read from garbage are never trusted.
                if (!_resyncing)
                {
                    _counters.OnDiscarded(ex.Error);
                    ModbusLog.ResponseDiscarded(_logger, _endpoint, ex.Error, ex.Message);
                }

                if (!_resyncing && ex.FrameLength > 0 && buffer.Length >= ex.FrameLength)
                {
                    buffer = buffer.Slice(ex.FrameLength);
                    continue;
                }

                _resyncing = true;
                buffer = buffer.Slice(1);
                continue;
            }

            if (_resyncing && !_pending.ContainsKey(frame.TransactionId))
            {
                // Bytes that merely look like a header: while resynchronising, only an outstanding id is trusted.
                buffer = buffer.Slice(1);
                continue;
            }

            _resyncing = false;
            Dispatch(frame);
            buffer = buffer.Slice(consumed);
        }
    }

    private void Dispatch(in ModbusFrame frame)
    {
        if (!_pending.TryGetValue(frame.TransactionId, out var request))
        {
            Discard(ModbusProtocolError.UnknownTransaction, $"transaction {frame.TransactionId} is not outstanding");
            return;
        }

        if (_options.ValidateUnitId && frame.UnitId != request.UnitId)
        {
            Discard(ModbusProtocolError.UnexpectedUnit, $"unit {frame.UnitId} answered a request to unit {request.UnitId}");
            return;
        }

        Span<byte> scratch = stackalloc byte[ModbusLimits.MaxPduLength];
        var pdu = frame.GetPduSpan(scratch);
        ModbusExceptionCode code;
        try
        {
            code = ModbusResponseReader.Validate(pdu, request.Expected);
        }
        catch (ModbusProtocolException ex)
        {
            // Left outstanding: a correct response may still come, else the request times out.
            Discard(ex.Error, ex.Message);
            return;
        }

        if (!Forget(request))
        {
            return;
        }

        _counters.OnResponse(code != ModbusExceptionCode.None);
        if (code == ModbusExceptionCode.None)
        {
            request.Complete(pdu);
        }
        else
        {
            request.Fail(new ModbusException(request.Expected.Function, code, request.UnitId));
        }
    }

    private void Discard(ModbusProtocolError reason, string detail)
    {
        _counters.OnDiscarded(reason);
        ModbusLog.ResponseDiscarded(_logger, _endpoint, reason, detail);
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new ModbusConnectionException($"The connection to {_endpoint} is closed.");
        }
    }

    private void Close(ModbusConnectionException reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _closed = true;
        _socket.Dispose();
        var failed = 0;
        foreach (var key in _pending.Keys)
        {
            if (_pending.TryRemove(key, out var request))
            {
                failed++;
                request.Fail(reason);
            }
        }

        ModbusLog.ConnectionClosed(_logger, _endpoint, failed, reason.Message);
    }

    public async ValueTask DisposeAsync()
    {
        Close(new ModbusConnectionException($"The client of {_endpoint} was disposed."));
        _reader.CancelPendingRead();
        await _readLoop.ConfigureAwait(false);
        await _reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // The socket is gone already; nothing left to flush.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
