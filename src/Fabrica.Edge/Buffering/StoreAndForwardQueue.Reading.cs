namespace Fabrica.Edge.Buffering;

/// <summary>What a <see cref="QueueReader"/> asks of the queue: where a record lies, and whether it may send it.</summary>
internal sealed partial class StoreAndForwardQueue
{
    /// <summary>The segment holding <paramref name="seq"/>, else the first one after it, else the newest.</summary>
    internal QueueSegment Locate(long seq, out long durableBytes, out long head, out bool isLast)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            head = _head;
            var index = _segments.FindIndex(s => s.NextSeq > seq);
            if (index < 0)
                index = _segments.Count - 1;
            durableBytes = _segments[index].DurableBytes;
            isLast = index == _segments.Count - 1;
            return _segments[index];
        }
    }

    internal bool IsCurrent(QueueSegment segment, out long durableBytes, out bool isLast)
    {
        lock (_lock)
        {
            var index = _segments.IndexOf(segment);
            durableBytes = segment.DurableBytes;
            isLast = index == _segments.Count - 1;
            return index >= 0;
        }
    }

    internal bool TryClaimFromReader(long seq)
    {
        lock (_lock)
            return ClaimLocked(seq);
    }
}
