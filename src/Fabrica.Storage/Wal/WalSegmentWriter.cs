using Fabrica.IO;
namespace Fabrica.Storage.Wal;

/// <summary>
/// The segment appends go to. Tracks the logical end (header plus committed records) apart from the file length,
/// which runs ahead in zero-filled chunks. Only the committer thread calls it.
/// </summary>
internal sealed class WalSegmentWriter : IDisposable
{
    private static readonly byte[] Zeros = new byte[64 * 1024];

    private readonly IWalFile _file;
    private readonly int _chunkBytes;
    private long _allocated;
    private long _end;

    private WalSegmentWriter(IWalFile file, string path, long number, int chunkBytes)
    {
        _file = file;
        Path = path;
        Number = number;
        _chunkBytes = chunkBytes;
    }

    public string Path { get; }

    public long Number { get; }

    /// <summary>Bytes of header and committed records; read by other threads for <c>SizeBytes</c>.</summary>
    public long End => Volatile.Read(ref _end);

    public bool IsEmpty => End == WalFormat.SegmentHeaderBytes;

    /// <summary>Creates the file, writes the header and the first zero chunk, and makes both and the directory entry durable.</summary>
    public static WalSegmentWriter Create(string directory, long number, WalOptions options)
    {
        var path = System.IO.Path.Combine(directory, WalFormat.SegmentFileName(number));
        var file = options.FileFactory?.Invoke(path) ?? new DiskWalFile(path);
        var segment = new WalSegmentWriter(file, path, number, options.PreallocationChunkBytes);
        try
        {
            Span<byte> header = stackalloc byte[WalFormat.SegmentHeaderBytes];
            WalFormat.WriteSegmentHeader(header, number);
            segment.EnsureAllocated(WalFormat.SegmentHeaderBytes);
            file.Write(header, 0);
            file.Flush();
            DurableDirectory.Sync(directory);
            segment._end = WalFormat.SegmentHeaderBytes;
            return segment;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Writes records after the logical end; they count only after <see cref="Commit"/>.</summary>
    public void Write(ReadOnlySpan<byte> records)
    {
        EnsureAllocated(_end + records.Length);
        _file.Write(records, _end);
    }

    public void Flush() => _file.Flush();

    public void Commit(int length) => Volatile.Write(ref _end, _end + length);

    /// <summary>
    /// After a failed write or fsync: overwrite what may have reached the file with zeros and fsync, so replay finds
    /// the end marker right after the last committed record. Throws if the disk refuses that too.
    /// </summary>
    public void Discard(int length)
    {
        for (var offset = 0L; offset < length; offset += Zeros.Length)
            _file.Write(Zeros.AsSpan(0, (int)Math.Min(Zeros.Length, length - offset)), _end + offset);
        _file.Flush();
    }

    /// <summary>Drops the unused zero tail and fsyncs; the segment is then read-only history.</summary>
    public void Seal()
    {
        if (_allocated > _end)
        {
            _file.SetLength(_end);
            _allocated = _end;
        }
        _file.Flush();
    }

    private void EnsureAllocated(long end)
    {
        if (_chunkBytes <= 0 || end <= _allocated)
            return;
        // Written zeros, not SetLength: a sparse tail would still allocate blocks inside the commit's fsync.
        var target = (end + _chunkBytes - 1) / _chunkBytes * _chunkBytes;
        for (var offset = _allocated; offset < target; offset += Zeros.Length)
            _file.Write(Zeros.AsSpan(0, (int)Math.Min(Zeros.Length, target - offset)), offset);
        _allocated = target;
    }

    public void Dispose() => _file.Dispose();
}
