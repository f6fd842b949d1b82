using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Fabrica.IO;

namespace Fabrica.Edge.Buffering;

internal sealed partial class StoreAndForwardQueue
{
    private StoreAndForwardQueue(string directory, long maxBytes, long segmentBytes, TimeProvider time, ILogger logger, HeadCheckpoint checkpoint)
    {
        _directory = directory;
        _maxBytes = maxBytes;
        _segmentBytes = segmentBytes;
        _time = time;
        _logger = logger;
        _checkpoint = checkpoint;
    }

    /// <summary>
    /// Opens (or creates) the buffer in <paramref name="directory"/>: reads the head checkpoint, checks every record
    /// of every segment, cuts a torn tail off, deletes segments already acknowledged, and starts a new segment for
    /// appends. Damage is repaired, logged and listed in <see cref="Recovery"/>, never fatal.
    /// </summary>
    public static StoreAndForwardQueue Open(string directory, long maxBytes, long segmentBytes, TimeProvider? time = null, ILogger? logger = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        var checkpoint = HeadCheckpoint.Open(directory);
        var queue = new StoreAndForwardQueue(directory, maxBytes, segmentBytes, time ?? TimeProvider.System,
            logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, checkpoint);
        try
        {
            queue.Recover();
        }
        catch
        {
            queue.Dispose();
            throw;
        }
        return queue;
    }

    private void Recover()
    {
        var saved = _checkpoint.Saved;
        _droppedRecords = saved.DroppedRecords;
        _droppedSamples = saved.DroppedSamples;
        var repairs = new List<string>();
        var files = new List<(long FirstSeq, string Path)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(_directory, "*" + QueueFormat.SegmentExtension))
        {
            if (QueueFormat.TryParseSegmentFileName(Path.GetFileName(path), out var firstSeq))
                files.Add((firstSeq, path));
        }
        files.Sort((a, b) => a.FirstSeq.CompareTo(b.FirstSeq));
        for (var i = 0; i < files.Count; i++)
        {
            var (firstSeq, path) = files[i];
            var segment = ScanSegment(path, firstSeq, isNewest: i == files.Count - 1, repairs);
            if (segment is null)
                continue;
            if (_segments.Count > 0 && segment.FirstSeq < _segments[^1].NextSeq)
            {
                repairs.Add($"{Path.GetFileName(path)}: overlaps the segment before it; set aside as {Path.GetFileName(path)}.damaged");
                File.Move(path, path + ".damaged", overwrite: true);
                continue;
            }
            if (segment.RecordCount == 0 || segment.NextSeq <= saved.Head)
            {
                File.Delete(path); // empty, or acknowledged before the crash but not deleted yet
                continue;
            }
            if (_segments.Count > 0 && segment.FirstSeq > _segments[^1].NextSeq)
                _gaps.Add((_segments[^1].NextSeq, segment.FirstSeq));
            _segments.Add(segment);
            _totalBytes += segment.WrittenBytes;
        }
        _head = Math.Max(saved.Head, _segments.Count > 0 ? _segments[0].FirstSeq : saved.Head);
        AdvanceHeadLocked();
        _nextSeq = Math.Max(Math.Max(_head, 1), _segments.Count > 0 ? _segments[^1].NextSeq : 1);
        _committedSeq = _nextSeq;
        CreateSegment(_nextSeq);
        foreach (var repair in repairs)
            Log.BufferRepaired(_logger, _directory, repair);
        Recovery = new QueueRecovery(_nextSeq - _head - GapRecordsLocked(), _head, _nextSeq, repairs);
        if (DeliveryTrace.Enabled)
            Log.TraceOpened(_logger, saved.Head, _head, _nextSeq, string.Join(", ", _segments.Select(s => $"{s.FirstSeq}..{s.NextSeq - 1} ({s.WrittenBytes} B)")));
    }

    /// <summary>Checks a segment record by record; null if it holds nothing usable.</summary>
    private static QueueSegment? ScanSegment(string path, long firstSeq, bool isNewest, List<string> repairs)
    {
        var name = Path.GetFileName(path);
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        var length = RandomAccess.GetLength(file);
        Span<byte> header = stackalloc byte[QueueFormat.SegmentHeaderBytes];
        var read = RandomAccess.Read(file, header, 0);
        if (QueueFormat.CheckSegmentHeader(header[..read], firstSeq) is { } problem)
        {
            if (isNewest && length <= QueueFormat.SegmentHeaderBytes)
            {
                repairs.Add($"{name}: {problem}; removed (it held no records)");
                file.Dispose();
                File.Delete(path);
                return null;
            }
            repairs.Add($"{name}: {problem}; set aside as {name}.damaged");
            file.Dispose();
            File.Move(path, path + ".damaged", overwrite: true);
            return null;
        }
        var segment = new QueueSegment(path, firstSeq);
        var offset = (long)QueueFormat.SegmentHeaderBytes;
        var buffer = new byte[64 * 1024];
        string? stop = null;
        while (offset < length)
        {
            if (length - offset < QueueFormat.RecordHeaderBytes)
            {
                stop = "a record header is cut short";
                break;
            }
            RandomAccess.Read(file, buffer.AsSpan(0, QueueFormat.RecordHeaderBytes), offset);
            if (!QueueFormat.TryReadRecordHeader(buffer, out var payloadLength, out var seq, out var samples))
            {
                stop = "a record has an impossible length";
                break;
            }
            var recordLength = QueueFormat.RecordHeaderBytes + payloadLength;
            if (length - offset < recordLength)
            {
                stop = "the last record is cut short";
                break;
            }
            if (buffer.Length < recordLength)
                buffer = new byte[recordLength];
            RandomAccess.Read(file, buffer.AsSpan(0, recordLength), offset);
            if (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(4)) != QueueFormat.Checksum(buffer.AsSpan(0, recordLength)))
            {
                stop = "a record checksum does not match";
                break;
            }
            if (seq != segment.NextSeq)
            {
                stop = $"record {seq} follows record {segment.NextSeq - 1}";
                break;
            }
            segment.NextSeq = seq + 1;
            segment.Samples += samples;
            offset += recordLength;
        }
        if (stop is not null)
        {
            var lost = length - offset;
            if (isNewest)
            {
                // The expected result of a crash mid-write: the tail was never acknowledged to anyone, cut it off.
                repairs.Add($"{name}: torn tail at byte {offset} ({stop}); {lost} bytes cut off");
                RandomAccess.SetLength(file, offset);
                RandomAccess.FlushToDisk(file);
            }
            else
            {
                repairs.Add($"{name}: damaged at byte {offset} ({stop}); the {lost} bytes after it are skipped");
            }
        }
        segment.WrittenBytes = offset;
        segment.DurableBytes = offset;
        return segment;
    }

    private QueueSegment CreateSegment(long firstSeq)
    {
        var path = Path.Combine(_directory, QueueFormat.SegmentFileName(firstSeq));
        var writer = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        try
        {
            Span<byte> header = stackalloc byte[QueueFormat.SegmentHeaderBytes];
            QueueFormat.WriteSegmentHeader(header, firstSeq, UnixTime.Now(_time));
            RandomAccess.Write(writer, header, 0);
            RandomAccess.FlushToDisk(writer);
            DurableDirectory.Sync(_directory);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
        var segment = new QueueSegment(path, firstSeq)
        {
            Writer = writer,
            WrittenBytes = QueueFormat.SegmentHeaderBytes,
            DurableBytes = QueueFormat.SegmentHeaderBytes,
        };
        _segments.Add(segment);
        _totalBytes += segment.WrittenBytes;
        return segment;
    }

    /// <summary>Reads the record headers of a segment being dropped to count what was not yet acknowledged.</summary>
    private (long Records, long Samples) CountUnacknowledged(QueueSegment segment)
    {
        long records = 0;
        long samples = 0;
        try
        {
            using var file = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Span<byte> header = stackalloc byte[QueueFormat.RecordHeaderBytes];
            var offset = (long)QueueFormat.SegmentHeaderBytes;
            while (offset + QueueFormat.RecordHeaderBytes <= segment.WrittenBytes
                   && RandomAccess.Read(file, header, offset) == header.Length
                   && QueueFormat.TryReadRecordHeader(header, out var payloadLength, out var seq, out var count))
            {
                if (seq >= _head && !_acknowledged.Contains(seq))
                {
                    records++;
                    samples += count;
                }
                offset += QueueFormat.RecordHeaderBytes + payloadLength;
            }
        }
        catch (IOException)
        {
            // Counting is for the report; the records are lost either way.
            records = segment.NextSeq - Math.Max(segment.FirstSeq, _head);
        }
        return (records, samples);
    }
}
