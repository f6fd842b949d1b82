using System.Buffers.Binary;
using Fabrica.Edge.Pipeline;
using Microsoft.Win32.SafeHandles;

namespace Fabrica.Edge.Buffering;

/// <summary>
/// Reads the backlog in order: committed records from the head on that nobody acknowledged or claimed, claiming each
/// one it returns (the caller acknowledges or releases it). Survives segments being deleted under it (acknowledged,
/// or dropped because the buffer was full) by finding its place again. One reader per uplink session.
/// </summary>
internal sealed class QueueReader : IDisposable
{
    private readonly StoreAndForwardQueue _queue;
    private QueueSegment? _segment;
    private SafeFileHandle? _file;
    private long _offset;
    private long _nextSeq;
    private long _skipBelow;
    private byte[] _buffer = new byte[64 * 1024];

    internal QueueReader(StoreAndForwardQueue queue)
    {
        _queue = queue;
        _nextSeq = queue.Head;
    }

    /// <summary>Corrupt records met while reading (a failing disk: they passed the check when the buffer was opened).</summary>
    public long CorruptRecords { get; private set; }

    /// <summary>The next claimable record, or false when the reader has caught up with the last commit.</summary>
    public bool TryRead(out long seq, out SampleBatch batch)
    {
        while (true)
        {
            long durable;
            bool isLast;
            if (_segment is null || !_queue.IsCurrent(_segment, out durable, out isLast))
            {
                _file?.Dispose();
                _file = null;
                _segment = _queue.Locate(_nextSeq, out durable, out var head, out isLast);
                _nextSeq = Math.Max(_nextSeq, head);
                _skipBelow = _nextSeq;
                _offset = QueueFormat.SegmentHeaderBytes;
                _file = File.OpenHandle(_segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            if (_offset + QueueFormat.RecordHeaderBytes > durable)
            {
                if (isLast)
                {
                    seq = 0;
                    batch = null!;
                    return false;
                }
                NextSegment();
                continue;
            }
            if (!TryReadRecord(durable, out seq, out var payloadLength))
            {
                CorruptRecords++;
                NextSegment();
                continue;
            }
            _offset += QueueFormat.RecordHeaderBytes + payloadLength;
            _nextSeq = seq + 1;
            if (seq < _skipBelow || !_queue.TryClaimFromReader(seq))
                continue;
            try
            {
                batch = SampleBatchCodec.Decode(_buffer.AsSpan(QueueFormat.RecordHeaderBytes, payloadLength));
            }
            catch (InvalidDataException)
            {
                // Checksummed but undecodable: written by a buggy build. Sending it again can never succeed.
                CorruptRecords++;
                _queue.Acknowledge(seq);
                continue;
            }
            return true;
        }
    }

    private bool TryReadRecord(long durable, out long seq, out int payloadLength)
    {
        var header = _buffer.AsSpan(0, QueueFormat.RecordHeaderBytes);
        seq = 0;
        if (RandomAccess.Read(_file!, header, _offset) != header.Length || !QueueFormat.TryReadRecordHeader(header, out payloadLength, out seq, out _))
        {
            payloadLength = 0;
            return false;
        }
        var length = QueueFormat.RecordHeaderBytes + payloadLength;
        if (_offset + length > durable)
            return false;
        if (_buffer.Length < length)
        {
            var larger = new byte[length];
            header.CopyTo(larger);
            _buffer = larger;
        }
        return RandomAccess.Read(_file!, _buffer.AsSpan(QueueFormat.RecordHeaderBytes, payloadLength), _offset + QueueFormat.RecordHeaderBytes) == payloadLength
            && BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(4)) == QueueFormat.Checksum(_buffer.AsSpan(0, length));
    }

    /// <summary>On to the segment after the current one (sealed, so its end is final).</summary>
    private void NextSegment()
    {
        _nextSeq = Math.Max(_nextSeq, _segment!.NextSeq);
        _segment = null;
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }
}
