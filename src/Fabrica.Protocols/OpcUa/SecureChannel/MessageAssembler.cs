using System.Buffers;
using Fabrica.Protocols.OpcUa.Transport;

namespace Fabrica.Protocols.OpcUa.SecureChannel;

internal enum AssemblyResult
{
    Incomplete,
    Complete,
    Aborted,
}

/// <summary>
/// Joins the chunk bodies of each message, keyed by RequestId (OPC 10000-6 §6.7.2.3), within the limits this
/// client announced in its Hello: at most <c>maxChunkCount</c> chunks and <c>maxMessageSize</c> body bytes per
/// message, and at most <c>maxPartialMessages</c> messages under assembly. Buffers come from the array pool
/// and grow with what actually arrives, never with what a header claims.
/// </summary>
internal sealed class MessageAssembler : IDisposable
{
    private readonly int _maxMessageSize;
    private readonly int _maxChunkCount;
    private readonly int _maxPartialMessages;
    private readonly Dictionary<uint, Partial> _partials = [];
    private byte[]? _completed;

    public MessageAssembler(int maxMessageSize, int maxChunkCount, int maxPartialMessages = 64)
    {
        _maxMessageSize = maxMessageSize > 0 ? maxMessageSize : int.MaxValue;
        _maxChunkCount = maxChunkCount > 0 ? maxChunkCount : int.MaxValue;
        _maxPartialMessages = maxPartialMessages;
    }

    public int PartialCount => _partials.Count;

    /// <summary>
    /// Adds one chunk body. On <see cref="AssemblyResult.Complete"/>, <paramref name="message"/> is the whole body,
    /// valid until the next call; on <see cref="AssemblyResult.Aborted"/>, it is the Abort chunk's error body.
    /// A message over the limits throws (BadTcpMessageTooLarge / BadTcpNotEnoughResources).
    /// </summary>
    public AssemblyResult Append(uint requestId, UaTcpChunkType chunkType, ReadOnlySpan<byte> body, out ReadOnlySpan<byte> message)
    {
        ReleaseCompleted();
        message = default;
        _partials.TryGetValue(requestId, out var partial);
        if (chunkType == UaTcpChunkType.Abort)
        {
            Remove(requestId, partial);
            message = body;
            return AssemblyResult.Aborted;
        }
        if (partial is null && chunkType == UaTcpChunkType.Final)
        {
            // The common case: a one-chunk message needs no copy.
            CheckSize(body.Length);
            message = body;
            return AssemblyResult.Complete;
        }
        if (partial is null)
        {
            if (_partials.Count >= _maxPartialMessages)
            {
                OpcUaThrow.Status(StatusCodes.BadTcpNotEnoughResources, $"more than {_maxPartialMessages} messages under assembly");
            }
            partial = new Partial();
            _partials.Add(requestId, partial);
        }
        if (++partial.Chunks > _maxChunkCount)
        {
            Remove(requestId, partial);
            OpcUaThrow.Status(StatusCodes.BadTcpMessageTooLarge, $"message has more than {_maxChunkCount} chunks");
        }
        CheckSize((long)partial.Length + body.Length, () => Remove(requestId, partial));
        partial.Append(body);
        if (chunkType == UaTcpChunkType.Intermediate)
        {
            return AssemblyResult.Incomplete;
        }
        _partials.Remove(requestId);
        _completed = partial.Buffer;
        message = partial.Buffer.AsSpan(0, partial.Length);
        return AssemblyResult.Complete;
    }

    private void CheckSize(long size, Action? cleanup = null)
    {
        if (size > _maxMessageSize)
        {
            cleanup?.Invoke();
            OpcUaThrow.Status(StatusCodes.BadTcpMessageTooLarge, $"message of more than {_maxMessageSize} bytes");
        }
    }

    private void Remove(uint requestId, Partial? partial)
    {
        if (partial is not null)
        {
            _partials.Remove(requestId);
            partial.Return();
        }
    }

    private void ReleaseCompleted()
    {
        if (_completed is { } buffer)
        {
            _completed = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        ReleaseCompleted();
        foreach (var partial in _partials.Values)
        {
            partial.Return();
        }
        _partials.Clear();
    }

    private sealed class Partial
    {
        public byte[] Buffer = [];
        public int Length;
        public int Chunks;

        public void Append(ReadOnlySpan<byte> body)
        {
            if (Buffer.Length - Length < body.Length)
            {
                var next = ArrayPool<byte>.Shared.Rent(Math.Max(Length + body.Length, Buffer.Length * 2));
                Buffer.AsSpan(0, Length).CopyTo(next);
                Return();
                Buffer = next;
            }
            body.CopyTo(Buffer.AsSpan(Length));
            Length += body.Length;
        }

        public void Return()
        {
            if (Buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(Buffer);
                Buffer = [];
            }
        }
    }
}
