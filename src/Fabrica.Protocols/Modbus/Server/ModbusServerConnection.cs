using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Fabrica.Protocols.Modbus;

/// <summary>
/// One client of a <see cref="ModbusTcpServer"/>. Requests are answered in arrival order; all responses to one
/// read are flushed together, so a client that pipelines gets them in one segment.
/// A frame with a foreign protocol id is dropped (Messaging on TCP/IP §4.4.1.1: "discard"); a length outside
/// 2..254 loses the framing, and the connection is closed.
/// </summary>
internal sealed class ModbusServerConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly string _remote;
    private readonly IModbusDataModel _model;
    private readonly ILogger _logger;

    public ModbusServerConnection(Socket socket, string remote, IModbusDataModel model, ILogger logger)
    {
        _socket = socket;
        _remote = remote;
        _model = model;
        _logger = logger;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        _writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reason = "closed by the client";
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                int answered;
                try
                {
                    answered = AnswerFrames(ref buffer);
                }
                finally
                {
                    _reader.AdvanceTo(buffer.Start, buffer.End);
                }

                if (answered > 0)
                {
                    ModbusMetrics.ServerRequests.Add(answered);
                    await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (ModbusProtocolException ex)
        {
            reason = ex.Message;
            ModbusLog.ServerFrameDiscarded(_logger, _remote, ex.Error, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            reason = ex.Message;
        }

        ModbusLog.ServerClientClosed(_logger, _remote, reason);
    }

    private int AnswerFrames(ref ReadOnlySequence<byte> buffer)
    {
        var answered = 0;
        Span<byte> scratch = stackalloc byte[ModbusLimits.MaxPduLength];
        while (true)
        {
            ModbusFrame frame;
            SequencePosition consumed;
            try
            {
                if (!ModbusFrameReader.TryRead(buffer, out frame, out consumed))
                {
                    return answered;
                }
            }
            catch (ModbusProtocolException ex) when (ex.FrameLength > 0)
            {
                if (buffer.Length < ex.FrameLength)
                {
                    return answered;
                }

                ModbusLog.ServerFrameDiscarded(_logger, _remote, ex.Error, ex.Message);
                buffer = buffer.Slice(ex.FrameLength);
                continue;
            }

            var span = _writer.GetSpan(ModbusLimits.MaxAduLength);
            var pduLength = ModbusRequestHandler.Handle(frame.GetPduSpan(scratch), frame.UnitId, _model, span[ModbusLimits.MbapHeaderLength..]);
            if ((span[ModbusLimits.MbapHeaderLength] & 0x80) != 0)
            {
                ModbusMetrics.ServerExceptions.Add(1, new KeyValuePair<string, object?>("code", span[ModbusLimits.MbapHeaderLength + 1]));
            }

            // Messaging on TCP/IP §3.1.3: the response copies the request's transaction and unit identifiers.
            ModbusFrameWriter.WriteHeader(span, frame.TransactionId, frame.UnitId, pduLength);
            _writer.Advance(ModbusLimits.MbapHeaderLength + pduLength);
            buffer = buffer.Slice(consumed);
            answered++;
        }
    }

    /// <summary>Ends the connection from outside (server stopping).</summary>
    public void Abort()
    {
        _socket.Dispose();
        _reader.CancelPendingRead();
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await _reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // The peer is gone; nothing left to flush.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
