using System.Buffers;
using System.Runtime.InteropServices;
using Fabrica.Edge.Pipeline;
using Microsoft.Extensions.Logging;

namespace Fabrica.Edge.Buffering;

/// <summary>
/// The store-and-forward buffer: an on-disk, size-bounded FIFO of sample batches that survives restarts and crashes,
/// from which records are deleted only after the platform acknowledged them (QoS 1 PUBACK).
/// <list type="bullet">
/// <item><b>Write side</b> (one thread, the runtime's commit loop): <see cref="Append"/> writes a record to the OS;
/// <see cref="Commit"/> fsyncs everything appended so far and makes it visible to senders. A crash (SIGKILL or power)
/// loses at most what was appended since the last commit.</item>
/// <item><b>Send side</b> (any thread): a record is sent by whoever claims it first: the live path
/// (<see cref="TryClaim"/> right after the commit) or a backlog <see cref="QueueReader"/>. The sender then
/// <see cref="Acknowledge"/>s it (PUBACK) or <see cref="Release"/>s it (the link broke; a later reader sends it).</item>
/// <item><b>Head</b>: the first record not yet acknowledged. Acknowledgements may arrive out of order (live records
/// while a backlog drains); the head moves over every contiguous acknowledged record, is saved in the
/// <see cref="HeadCheckpoint"/> at each commit, and segments wholly before it are deleted.</item>
/// <item><b>Full</b>: when a new record would take the buffer over <c>MaxBytes</c>, the oldest segment is deleted
/// with whatever it still held; the records and samples lost are counted (<see cref="Stats"/>) and logged.</item>
/// </list>
/// Delivery is at least once: a record acknowledged after the last checkpoint, or out of order above the head, is
/// sent again after a restart; the platform stores a repeated sample at the same timestamp once.
/// </summary>
internal sealed partial class StoreAndForwardQueue : IDisposable
{
    private readonly Lock _lock = new();
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly long _segmentBytes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HeadCheckpoint _checkpoint;
    private readonly List<QueueSegment> _segments = [];
    private readonly SortedSet<long> _acknowledged = [];
    private readonly HashSet<long> _claimed = [];
    private readonly List<(long From, long To)> _gaps = [];
    private readonly ArrayBufferWriter<byte> _encoded = new(64 * 1024);
    private long _nextSeq;
    private long _head;
    private long _committedSeq;
    private long _totalBytes;
    private long _droppedRecords;
    private long _droppedSamples;
    private bool _disposed;

    /// <summary>Raised (on the appending thread, outside the lock) when the buffer was full and dropped its oldest segment.</summary>
    public event Action<long, long>? Dropped;

    /// <summary>Raised after each commit that made new records visible, with the first new sequence number.</summary>
    public event Action<long>? Committed;

    public string Directory => _directory;

    public QueueRecovery Recovery { get; private set; } = null!;

    /// <summary>Sequence number the next appended record gets.</summary>
    public long NextSeq
    {
        get
        {
            lock (_lock)
                return _nextSeq;
        }
    }

    /// <summary>The first record not yet acknowledged (or <see cref="NextSeq"/> when all are).</summary>
    public long Head
    {
        get
        {
            lock (_lock)
                return _head;
        }
    }

    public QueueStats Stats
    {
        get
        {
            lock (_lock)
                return new QueueStats(_nextSeq - _head - _acknowledged.Count - GapRecordsLocked(), _totalBytes, _droppedRecords, _droppedSamples, _segments.Count);
        }
    }

    /// <summary>
    /// Appends a batch (written to the OS, not yet durable) and returns its sequence number. Makes room first by
    /// dropping the oldest segment if the buffer is full. Only the commit thread calls this.
    /// </summary>
    public long Append(SampleBatch batch)
    {
        _encoded.ResetWrittenCount();
        _encoded.GetSpan(QueueFormat.RecordHeaderBytes);
        _encoded.Advance(QueueFormat.RecordHeaderBytes);
        SampleBatchCodec.Encode(batch, _encoded);
        if (_encoded.WrittenCount - QueueFormat.RecordHeaderBytes > QueueFormat.MaxPayloadBytes)
            throw new ArgumentException($"a batch of {batch.Samples.Count} samples is larger than a buffer record may be", nameof(batch));
        var record = MemoryMarshal.AsMemory(_encoded.WrittenMemory);
        (long Records, long Samples) dropped = default;
        long seq;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var active = _segments[^1];
            if (active.RecordCount > 0 && active.WrittenBytes + record.Length > _segmentBytes)
                active = Roll();
            while (_totalBytes + record.Length > _maxBytes && _segments.Count > 1)
            {
                var (records, samples) = DropOldest();
                dropped = (dropped.Records + records, dropped.Samples + samples);
            }
            seq = _nextSeq;
            QueueFormat.CompleteRecord(record.Span, seq, batch.Samples.Count);
            RandomAccess.Write(active.Writer!, record.Span, active.WrittenBytes);
            active.WrittenBytes += record.Length;
            active.NextSeq = seq + 1;
            active.Samples += batch.Samples.Count;
            _totalBytes += record.Length;
            _nextSeq = seq + 1;
        }
        if (dropped.Records > 0 || dropped.Samples > 0)
        {
            Log.BufferFullDropped(_logger, dropped.Records, dropped.Samples, _maxBytes);
            Dropped?.Invoke(dropped.Records, dropped.Samples);
        }
        if (DeliveryTrace.Enabled && batch.Samples.Count > 0)
            Log.TraceAppended(_logger, seq, batch.Samples.Count, batch.DeviceId, batch.Samples[0].Sample.Timestamp, batch.Samples[^1].Sample.Timestamp);
        return seq;
    }

    /// <summary>
    /// Makes every appended record durable (fsync) and visible to senders, saves the head, and deletes segments the
    /// platform has acknowledged completely. Returns the first newly committed sequence number and the count.
    /// </summary>
    public (long FirstSeq, long Count) Commit()
    {
        QueueSegment active;
        long written;
        long upTo;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            active = _segments[^1];
            written = active.WrittenBytes;
            upTo = _nextSeq;
        }
        if (written > active.DurableBytes)
            RandomAccess.FlushToDisk(active.Writer!);
        long first;
        HeadCheckpoint.State state;
        lock (_lock)
        {
            active.DurableBytes = Math.Max(active.DurableBytes, written);
            first = _committedSeq;
            _committedSeq = upTo;
            state = new HeadCheckpoint.State(_head, _droppedRecords, _droppedSamples);
        }
        if (DeliveryTrace.Enabled && upTo > first)
            Log.TraceCommitted(_logger, first, upTo - 1, state.Head);
        if (state != _checkpoint.Saved)
        {
            _checkpoint.Write(state);
            if (DeliveryTrace.Enabled)
                Log.TraceCheckpoint(_logger, state.Head);
            DeleteAcknowledgedSegments(state.Head);
        }
        if (upTo > first)
            Committed?.Invoke(first);
        return (first, upTo - first);
    }

    /// <summary>Claims a committed record for sending; false if it is acknowledged, claimed, dropped or not yet committed.</summary>
    public bool TryClaim(long seq)
    {
        lock (_lock)
            return ClaimLocked(seq);
    }

    private bool ClaimLocked(long seq) =>
        seq >= _head && seq < _committedSeq && !_acknowledged.Contains(seq) && _claimed.Add(seq);

    /// <summary>The platform acknowledged the record: it will not be sent again (unless a crash comes before the next commit).</summary>
    public void Acknowledge(long seq)
    {
        long head;
        lock (_lock)
        {
            _claimed.Remove(seq);
            if (seq < _head || seq >= _nextSeq)
                return;
            _acknowledged.Add(seq);
            AdvanceHeadLocked();
            head = _head;
        }
        if (DeliveryTrace.Enabled)
            Log.TraceAcknowledged(_logger, seq, head);
    }

    /// <summary>Moves the head over acknowledged records and over ranges lost to damage (which nobody can acknowledge).</summary>
    private void AdvanceHeadLocked()
    {
        while (true)
        {
            if (_acknowledged.Remove(_head))
            {
                _head++;
            }
            else if (_gaps.Count > 0 && _gaps[0].From <= _head)
            {
                _head = Math.Max(_head, _gaps[0].To);
                _gaps.RemoveAt(0);
            }
            else
            {
                return;
            }
        }
    }

    private long GapRecordsLocked()
    {
        long total = 0;
        foreach (var (from, to) in _gaps)
            total += to - Math.Max(from, _head);
        return total;
    }

    /// <summary>The record was not delivered; the next backlog reader will send it.</summary>
    public void Release(long seq)
    {
        lock (_lock)
            _claimed.Remove(seq);
        if (DeliveryTrace.Enabled)
            Log.TraceReleased(_logger, seq);
    }

    /// <summary>A reader over the committed, unacknowledged, unclaimed records from the head on, in order.</summary>
    public QueueReader OpenReader() => new(this);

    private QueueSegment Roll()
    {
        var sealedSegment = _segments[^1];
        if (sealedSegment.WrittenBytes > sealedSegment.DurableBytes)
            RandomAccess.FlushToDisk(sealedSegment.Writer!);
        sealedSegment.DurableBytes = sealedSegment.WrittenBytes;
        sealedSegment.Writer!.Dispose();
        sealedSegment.Writer = null;
        return CreateSegment(_nextSeq);
    }

    /// <summary>Deletes the oldest segment with the records it still holds; returns what was lost.</summary>
    private (long Records, long Samples) DropOldest()
    {
        var oldest = _segments[0];
        var (records, samples) = CountUnacknowledged(oldest);
        _segments.RemoveAt(0);
        _totalBytes -= oldest.WrittenBytes;
        File.Delete(oldest.Path);
        _head = Math.Max(_head, oldest.NextSeq);
        while (_acknowledged.Count > 0 && _acknowledged.Min < _head)
            _acknowledged.Remove(_acknowledged.Min);
        AdvanceHeadLocked();
        _droppedRecords += records;
        _droppedSamples += samples;
        return (records, samples);
    }

    private void DeleteAcknowledgedSegments(long durableHead)
    {
        List<QueueSegment> done = [];
        lock (_lock)
        {
            while (_segments.Count > 1 && _segments[0].NextSeq <= durableHead)
            {
                done.Add(_segments[0]);
                _totalBytes -= _segments[0].WrittenBytes;
                _segments.RemoveAt(0);
            }
        }
        foreach (var segment in done)
            File.Delete(segment.Path);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            foreach (var segment in _segments)
                segment.Writer?.Dispose();
        }
        _checkpoint.Dispose();
    }
}
