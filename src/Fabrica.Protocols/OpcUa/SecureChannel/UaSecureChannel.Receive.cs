using System.Buffers;
using Fabrica.Protocols.OpcUa.Transport;

namespace Fabrica.Protocols.OpcUa.SecureChannel;

/// <summary>The receive side: one loop reads chunks, checks and unsecures them, reassembles and completes requests.</summary>
public sealed partial class UaSecureChannel
{
    private volatile OpcUaServiceException? _terminated;

    private async Task ReadLoopAsync()
    {
        await Task.Yield();
        OpcUaServiceException? failure = null;
        var scratch = ArrayPool<byte>.Shared.Rent(_limits.ReceiveBufferSize);
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(_stop.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var consumed = buffer.Start;
                try
                {
                    while (UaTcpChunkReader.TryRead(buffer, _limits.ReceiveBufferSize, out var chunk, out var next))
                    {
                        HandleChunk(chunk, scratch);
                        buffer = buffer.Slice(next);
                        consumed = next;
                    }
                }
                finally
                {
                    _input.AdvanceTo(consumed, result.Buffer.End);
                }
                if (result.IsCompleted)
                {
                    throw new OpcUaServiceException(StatusCodes.BadConnectionClosed, "the server closed the connection");
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (OpcUaServiceException e)
        {
            failure = e;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            failure = _renewFailure ?? new OpcUaServiceException(StatusCodes.BadConnectionClosed, $"connection lost: {e.Message}", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
            _assembler.Dispose();
        }
        var closedByUs = Volatile.Read(ref _closing) == 1;
        var error = closedByUs || failure is null
            ? new OpcUaServiceException(StatusCodes.BadSecureChannelClosed, "the secure channel is closed")
            : failure;
        _terminated = error;
        await _input.CompleteAsync(closedByUs ? null : failure).ConfigureAwait(false);
        foreach (var pending in _pending.Values)
        {
            pending.Fail(error);
        }
        _renewTimer?.Dispose();
        if (closedByUs || failure is null)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(failure);
        }
    }

    /// <summary>
    /// One chunk: copied whole into the scratch buffer (policies decrypt in place), its headers checked against the
    /// channel (id, token, policy, sequence number), then its body handed to the assembler.
    /// </summary>
    private void HandleChunk(UaTcpChunk chunk, byte[] scratch)
    {
        var type = chunk.MessageType;
        if (type == UaTcpMessageType.Error)
        {
            throw ErrorMessage.Decode(chunk.Body).ToException();
        }
        if (type is not (UaTcpMessageType.Message or UaTcpMessageType.OpenSecureChannel or UaTcpMessageType.CloseSecureChannel))
        {
            OpcUaThrow.Status(StatusCodes.BadTcpMessageTypeInvalid, $"{type} on an open channel");
        }
        var span = scratch.AsSpan(0, chunk.Size);
        UaTcpHeader.Write(span, type, chunk.ChunkType, chunk.Size);
        chunk.Body.CopyTo(span[UaTcpHeader.Size..]);
        var asymmetric = type == UaTcpMessageType.OpenSecureChannel;
        var header = SecureChunkHeader.Parse(span, type);
        if (asymmetric)
        {
            if (_channelId != 0 && header.ChannelId != _channelId)
            {
                OpcUaThrow.Status(StatusCodes.BadSecureChannelIdInvalid, $"OPN for channel {header.ChannelId}, ours is {_channelId}");
            }
            if (!string.Equals(header.PolicyUri, _policy.Uri, StringComparison.Ordinal))
            {
                OpcUaThrow.Status(StatusCodes.BadSecurityChecksFailed, $"OPN with policy {header.PolicyUri}, we use {_policy.Uri}");
            }
        }
        else
        {
            if (header.ChannelId != _channelId)
            {
                OpcUaThrow.Status(StatusCodes.BadSecureChannelIdInvalid, $"chunk for channel {header.ChannelId}, ours is {_channelId}");
            }
            if (header.TokenId != _token?.TokenId && header.TokenId != _previousToken?.TokenId)
            {
                OpcUaThrow.Status(StatusCodes.BadSecureChannelTokenUnknown, $"chunk with token {header.TokenId}");
            }
        }
        var plain = _policy.Unsecure(span, header.SequenceHeaderOffset, asymmetric);
        var (sequenceNumber, requestId) = SecureChunkHeader.ReadSequenceHeader(span[..plain], header.SequenceHeaderOffset);
        _receiveSequence.Accept(sequenceNumber);
        var body = span[(header.SequenceHeaderOffset + SequenceHeaderSize)..plain];
        switch (_assembler.Append(requestId, chunk.ChunkType, body, out var message))
        {
            case AssemblyResult.Complete when _pending.TryRemove(requestId, out var pending):
                pending.Complete(message, _options.EncodingLimits);
                break;
            case AssemblyResult.Aborted when _pending.TryRemove(requestId, out var aborted):
                var error = ErrorMessage.Decode(message);
                aborted.Fail(new OpcUaServiceException(error.Error, $"the server aborted the response: {error.Reason}"));
                break;
        }
    }
}
