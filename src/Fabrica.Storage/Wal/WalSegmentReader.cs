using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Fabrica.Storage.Wal;

/// <summary>How a segment scan ended.</summary>
internal enum WalScanOutcome
{
    /// <summary>Every byte after the header is a valid record, or zeros after the last one.</summary>
    Clean,

    /// <summary>Valid records up to <see cref="WalScanResult.ValidEnd"/>, then a partial, corrupt or zero-prefixed garbage record.</summary>
    Damaged,

    /// <summary>The header is missing or wrong; nothing in the file was read.</summary>
    BadHeader,

    /// <summary>The header never made it to disk (file shorter than a header or all zeros): a crash during creation.</summary>
    IncompleteHeader,
}

internal sealed record WalScanResult(WalScanOutcome Outcome, long ValidEnd, long FileLength, long Records, long ProblemOffset, string? Problem);

/// <summary>
/// Reads a segment front to back through a window buffer, validating every record; <c>onRecord</c> sees each valid
/// payload (and may throw <see cref="WalCorruptionException"/> to stop the scan at that record). Never throws for
/// bad data; only I/O errors escape.
/// </summary>
internal static class WalSegmentReader
{
    private const int WindowBytes = 1024 * 1024;

    public delegate void RecordHandler(byte type, ReadOnlySpan<byte> payload);

    public static WalScanResult Scan(string path, long segment, RecordHandler? onRecord)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var window = new Window(handle);
        try
        {
            return Scan(ref window, segment, onRecord);
        }
        finally
        {
            window.Dispose();
        }
    }

    private static WalScanResult Scan(ref Window window, long segment, RecordHandler? onRecord)
    {
        var length = window.FileLength;
        if (!window.Ensure(WalFormat.SegmentHeaderBytes))
        {
            var zeros = !window.Available.ContainsAnyExcept((byte)0);
            return zeros
                ? new(WalScanOutcome.IncompleteHeader, 0, length, 0, 0, $"incomplete segment header ({length} bytes: a crash while the segment was created)")
                : new(WalScanOutcome.BadHeader, 0, length, 0, 0, $"file of {length} bytes is shorter than a segment header");
        }
        try
        {
            WalFormat.ReadSegmentHeader(window.Available[..WalFormat.SegmentHeaderBytes], segment);
        }
        catch (WalCorruptionException e)
        {
            var outcome = window.Available[..WalFormat.SegmentHeaderBytes].ContainsAnyExcept((byte)0) ? WalScanOutcome.BadHeader : WalScanOutcome.IncompleteHeader;
            return new(outcome, 0, length, 0, e.Offset, e.Reason);
        }
        window.Consume(WalFormat.SegmentHeaderBytes);

        long records = 0;
        while (true)
        {
            var offset = window.Position;
            if (!window.Ensure(1))
                return new(WalScanOutcome.Clean, offset, length, records, offset, null);
            if (!window.Ensure(WalFormat.RecordHeaderBytes))
                return EndOrTorn(ref window, offset, records, $"incomplete record header ({window.Available.Length} bytes before the end of the file)");

            var header = window.Available[..WalFormat.RecordHeaderBytes];
            if (!header.ContainsAnyExcept((byte)0))
                return EndOrTorn(ref window, offset, records, "non-zero bytes after the end marker (a torn write)");

            var payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (payloadLength is 0 or > WalFormat.MaxRecordPayloadBytes)
                return Damaged(offset, length, records, $"record length {payloadLength} out of range 1..{WalFormat.MaxRecordPayloadBytes}");
            var recordLength = WalFormat.RecordHeaderBytes + (int)payloadLength;
            if (!window.Ensure(recordLength))
                return Damaged(offset, length, records, $"record of {recordLength} bytes cut off by the end of the file at {length}");

            var record = window.Available[..recordLength];
            if (BinaryPrimitives.ReadUInt32LittleEndian(record[4..]) != WalFormat.RecordChecksum(record))
                return Damaged(offset, length, records, "record checksum mismatch");
            var type = record[8];
            if (type != WalFormat.SampleBatchRecord)
                return Damaged(offset, length, records, $"unknown record type {type}");
            try
            {
                onRecord?.Invoke(type, record[WalFormat.RecordHeaderBytes..]);
            }
            catch (WalCorruptionException e)
            {
                return Damaged(offset, length, records, $"malformed payload at payload offset {e.Offset}: {e.Reason}");
            }
            records++;
            window.Consume(recordLength);
        }
    }

    private static WalScanResult Damaged(long offset, long length, long records, string problem) =>
        new(WalScanOutcome.Damaged, offset, length, records, offset, problem);

    /// <summary>Zeros to the end of the file are the preallocated tail; anything else is damage.</summary>
    private static WalScanResult EndOrTorn(ref Window window, long offset, long records, string problem)
    {
        while (true)
        {
            var available = window.Available;
            var nonZero = available.IndexOfAnyExcept((byte)0);
            if (nonZero >= 0)
                return Damaged(offset, window.FileLength, records, $"{problem}, non-zero byte at {window.Position + nonZero}");
            window.Consume(available.Length);
            if (!window.Ensure(1))
                return new(WalScanOutcome.Clean, offset, window.FileLength, records, offset, null);
        }
    }

    /// <summary>A sliding window over the file: <see cref="Available"/> starts at file offset <see cref="Position"/>.</summary>
    private struct Window(SafeFileHandle handle) : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(WindowBytes);
        private int _start;
        private int _end;
        private long _fileOffset; // file offset of _buffer[_end]

        public readonly long FileLength { get; } = RandomAccess.GetLength(handle);

        public readonly long Position => _fileOffset - (_end - _start);

        public readonly ReadOnlySpan<byte> Available => _buffer.AsSpan(_start, _end - _start);

        public void Consume(int count) => _start += count;

        /// <summary>True once at least <paramref name="count"/> bytes are available; false at the end of the file.</summary>
        public bool Ensure(int count)
        {
            if (_end - _start >= count)
                return true;
            if (count > _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(count);
                Available.CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                (_buffer, _end, _start) = (larger, _end - _start, 0);
            }
            else if (_start > 0)
            {
                Available.CopyTo(_buffer);
                (_end, _start) = (_end - _start, 0);
            }
            while (_end - _start < count)
            {
                var read = RandomAccess.Read(handle, _buffer.AsSpan(_end), _fileOffset);
                if (read == 0)
                    return false;
                _end += read;
                _fileOffset += read;
            }
            return true;
        }

        public void Dispose()
        {
            if (_buffer.Length > 0)
                ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
