using Fabrica.Protocols.OpcUa.Services;

namespace Fabrica.Protocols.OpcUa.SecureChannel;

/// <summary>A request waiting for its response; the read loop decodes the response in place and completes it.</summary>
internal abstract class PendingRequest
{
    public abstract void Complete(ReadOnlySpan<byte> message, OpcUaEncodingLimits limits);

    public abstract void Fail(Exception error);
}

internal sealed class PendingRequest<TResponse> : PendingRequest
    where TResponse : IServiceResponse<TResponse>
{
    private static readonly NodeId ExpectedId = new(TResponse.BinaryEncodingId);
    private static readonly NodeId FaultId = new(EncodingIds.ServiceFault);
    private readonly TaskCompletionSource<TResponse> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<TResponse>? _onReceived;

    public PendingRequest(Action<TResponse>? onReceived = null)
    {
        _onReceived = onReceived;
    }

    public Task<TResponse> Task => _completion.Task;

    /// <summary>
    /// Decodes on the read loop: the encoding NodeId, the ResponseHeader, then the body. A ServiceFault or a Bad
    /// ServiceResult fails the request; a malformed body fails only this request (the chunk framing was sound).
    /// </summary>
    public override void Complete(ReadOnlySpan<byte> message, OpcUaEncodingLimits limits)
    {
        try
        {
            var reader = new OpcUaBinaryReader(message, limits);
            var typeId = reader.ReadNodeId();
            var header = ResponseHeader.Decode(ref reader);
            if (typeId == FaultId || header.ServiceResult.IsBad)
            {
                Fail(new OpcUaServiceException(header.ServiceResult, $"the server answered {typeof(TResponse).Name} with a fault"));
                return;
            }
            if (typeId != ExpectedId)
            {
                Fail(new OpcUaServiceException(StatusCodes.BadUnknownResponse, $"expected {typeof(TResponse).Name} ({ExpectedId}), got {typeId}"));
                return;
            }
            var response = TResponse.Decode(ref reader, header);
            _onReceived?.Invoke(response);
            _completion.TrySetResult(response);
        }
        catch (OpcUaServiceException e)
        {
            Fail(e);
        }
    }

    public override void Fail(Exception error) => _completion.TrySetException(error);
}
