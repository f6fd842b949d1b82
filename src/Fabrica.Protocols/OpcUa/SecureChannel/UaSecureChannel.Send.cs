using System.Buffers.Binary;
using System.Text;
using Fabrica.Protocols.OpcUa.Services;
using Fabrica.Protocols.OpcUa.Transport;

namespace Fabrica.Protocols.OpcUa.SecureChannel;

/// <summary>The send side: encoding a request and splitting it into chunks of the negotiated size (OPC 10000-6 §6.7.2).</summary>
public sealed partial class UaSecureChannel
{
    private const int SequenceHeaderSize = 8;

    private async Task SendMessageAsync(UaTcpMessageType type, uint requestId, IServiceRequest request, NodeId authenticationToken, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var body = new OpcUaBinaryWriter();
        body.WriteNodeId(new NodeId(request.BinaryEncodingId));
        new RequestHeader(authenticationToken, _time.GetUtcNow().UtcDateTime, requestId, (uint)Math.Min(timeout.TotalMilliseconds, uint.MaxValue)).Encode(body);
        request.EncodeBody(body);

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_terminated is { } terminated)
            {
                throw terminated;
            }
            WriteChunks(type, requestId, body.WrittenSpan);
            var flush = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flush.IsCompleted)
            {
                throw Closed();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            throw new OpcUaServiceException(StatusCodes.BadConnectionClosed, "the connection is closed", e);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Writes the message as chunks straight into the pipe. Each chunk: message header, SecureChannelId, security
    /// header (TokenId, or for OPN the asymmetric header), sequence header (SequenceNumber, RequestId), a slice
    /// of the body, then whatever the policy appends. The whole message is checked against the server's limits
    /// before the first byte goes out, so a request is never half sent.
    /// </summary>
    private void WriteChunks(UaTcpMessageType type, uint requestId, ReadOnlySpan<byte> body)
    {
        var asymmetric = type == UaTcpMessageType.OpenSecureChannel;
        var policyUri = Encoding.UTF8.GetBytes(_policy.Uri);
        var securityHeaderSize = asymmetric
            ? 4 + policyUri.Length + 4 + (_policy.SenderCertificate?.Length ?? 0) + 4 + (_policy.ReceiverCertificateThumbprint?.Length ?? 0)
            : 4;
        var headerSize = UaTcpHeader.Size + 4 + securityHeaderSize + SequenceHeaderSize;
        var chunkSize = _limits.SendBufferSize;
        var maxBody = chunkSize - headerSize - _policy.MaxChunkOverhead(asymmetric, chunkSize - headerSize);
        var chunkCount = Math.Max(1, (body.Length + maxBody - 1) / maxBody);
        if (_limits.MaxRequestChunkCount > 0 && chunkCount > _limits.MaxRequestChunkCount)
        {
            OpcUaThrow.Status(StatusCodes.BadRequestTooLarge, $"request needs {chunkCount} chunks, the server accepts {_limits.MaxRequestChunkCount}");
        }
        if (_limits.MaxRequestMessageSize > 0 && body.Length > _limits.MaxRequestMessageSize)
        {
            OpcUaThrow.Status(StatusCodes.BadRequestTooLarge, $"request of {body.Length} bytes, the server accepts {_limits.MaxRequestMessageSize}");
        }
        var tokenId = _token?.TokenId ?? 0;
        for (var i = 0; i < chunkCount; i++)
        {
            var part = body.Slice(i * maxBody, Math.Min(maxBody, body.Length - (i * maxBody)));
            var chunk = _output.GetSpan(chunkSize)[..chunkSize];
            var at = UaTcpHeader.Size;
            BinaryPrimitives.WriteUInt32LittleEndian(chunk[at..], _channelId);
            at += 4;
            if (asymmetric)
            {
                at = WriteByteString(chunk, at, policyUri);
                at = WriteByteString(chunk, at, _policy.SenderCertificate);
                at = WriteByteString(chunk, at, _policy.ReceiverCertificateThumbprint);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(chunk[at..], tokenId);
                at += 4;
            }
            var securedFrom = at;
            BinaryPrimitives.WriteUInt32LittleEndian(chunk[at..], _sendSequence.Next());
            BinaryPrimitives.WriteUInt32LittleEndian(chunk[(at + 4)..], requestId);
            at += SequenceHeaderSize;
            part.CopyTo(chunk[at..]);
            var length = at + part.Length;
            var chunkType = i == chunkCount - 1 ? UaTcpChunkType.Final : UaTcpChunkType.Intermediate;
            UaTcpHeader.Write(chunk, type, chunkType, length);
            var secured = _policy.Secure(chunk, length, chunkSize, securedFrom, asymmetric);
            if (secured != length)
            {
                UaTcpHeader.Write(chunk, type, chunkType, secured);
            }
            _output.Advance(secured);
        }
    }

    private static int WriteByteString(Span<byte> chunk, int at, byte[]? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteInt32LittleEndian(chunk[at..], -1);
            return at + 4;
        }
        BinaryPrimitives.WriteInt32LittleEndian(chunk[at..], value.Length);
        value.CopyTo(chunk[(at + 4)..]);
        return at + 4 + value.Length;
    }
}
