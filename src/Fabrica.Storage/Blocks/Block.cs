using System.Buffers.Binary;
using System.Collections.Concurrent;
using Fabrica.Storage.Rollups;
using Microsoft.Win32.SafeHandles;
using Fabrica.IO;

namespace Fabrica.Storage.Blocks;

/// <summary>
/// An open, immutable block: meta and series index in memory, chunk bytes on demand. Blocks up to
/// <see cref="InMemoryLimitBytes"/> are held whole in memory (one read at open, no I/O per query); larger ones are
/// read with positional reads on a shared handle. Every chunk and roll-up blob is CRC-checked on every read; a bad one
/// is skipped, remembered and reported, so one flipped bit costs its chunk, not the block or the engine.
/// </summary>
internal sealed class Block : IDisposable
{
    public const long InMemoryLimitBytes = 16L * 1024 * 1024;

    private readonly byte[]? _bytes;
    private readonly SafeFileHandle? _handle;
    private readonly ConcurrentDictionary<long, string> _damage = new();

    private Block(string path, long fileBytes, byte[]? bytes, SafeFileHandle? handle, BlockMeta meta, Dictionary<SeriesKey, BlockSeries> series)
    {
        Path = path;
        FileBytes = fileBytes;
        _bytes = bytes;
        _handle = handle;
        Meta = meta;
        Series = series;
    }

    public string Path { get; }

    public long FileBytes { get; }

    public BlockMeta Meta { get; }

    public IReadOnlyDictionary<SeriesKey, BlockSeries> Series { get; }

    /// <summary>Chunks or roll-ups found damaged so far (at open when verified, or on a later read).</summary>
    public IReadOnlyList<string> Damage => [.. _damage.Values];

    public bool IsDamaged => !_damage.IsEmpty;

    /// <summary>Opens a block; header, footer and index must be intact or <see cref="BlockFormatException"/> is thrown.</summary>
    public static Block Open(string path, bool verifyEveryChunk)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        try
        {
            var length = RandomAccess.GetLength(handle);
            if (length < BlockLayout.HeaderBytes + BlockLayout.FooterBytes)
                throw new BlockFormatException($"file of {length} bytes is shorter than header and footer");
            byte[]? bytes = null;
            if (length <= InMemoryLimitBytes)
            {
                bytes = new byte[length];
                ReadExactly(handle, bytes, 0);
            }
            var headerAndFooter = new byte[BlockLayout.HeaderBytes + BlockLayout.FooterBytes];
            ReadExactly(handle, headerAndFooter.AsSpan(0, BlockLayout.HeaderBytes), 0, bytes);
            ReadExactly(handle, headerAndFooter.AsSpan(BlockLayout.HeaderBytes), length - BlockLayout.FooterBytes, bytes);
            var (indexOffset, indexLength, indexCrc) = ParseHeaderAndFooter(headerAndFooter, length);
            var index = new byte[indexLength];
            ReadExactly(handle, index, indexOffset, bytes);
            if (Crc32C.Compute(index) != indexCrc)
                throw new BlockFormatException("index CRC mismatch");
            var (meta, series) = BlockIndexCodec.Read(index, indexOffset);
            var block = new Block(path, length, bytes, bytes is null ? handle : null, meta, series);
            if (bytes is not null)
                handle.Dispose();
            if (verifyEveryChunk)
                block.VerifyAll();
            return block;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads every chunk and roll-up blob once; damage is recorded, not thrown.</summary>
    public int VerifyAll()
    {
        var checkedItems = 0;
        foreach (var series in Series.Values)
        {
            foreach (var chunk in series.Chunks)
            {
                _ = TryReadChunk(series.Key, chunk, out _);
                checkedItems++;
            }
            foreach (var rollup in series.Rollups)
            {
                _ = TryReadVerified(series.Key, rollup.Offset, rollup.Length, rollup.Crc, "roll-up", out _);
                checkedItems++;
            }
        }
        return checkedItems;
    }

    public bool TryReadChunk(SeriesKey key, in ChunkRef chunk, out ReadOnlyMemory<byte> bytes) =>
        TryReadVerified(key, chunk.Offset, chunk.Length, chunk.Crc, "chunk", out bytes);

    /// <summary>Roll-up records of <paramref name="key"/> at one resolution, or nothing if the blob is damaged.</summary>
    public void ReadRollups(SeriesKey key, in RollupRef rollup, List<RollupRecord> destination)
    {
        if (!TryReadVerified(key, rollup.Offset, rollup.Length, rollup.Crc, "roll-up", out var bytes))
            return;
        try
        {
            RollupCodec.Read(bytes.Span, destination);
        }
        catch (BlockFormatException ex)
        {
            _damage.TryAdd(rollup.Offset, $"roll-up of {key} at offset {rollup.Offset}: {ex.Message}");
        }
    }

    private bool TryReadVerified(SeriesKey key, long offset, int length, uint crc, string what, out ReadOnlyMemory<byte> bytes)
    {
        if (_damage.ContainsKey(offset))
        {
            bytes = default;
            return false;
        }
        if (_bytes is not null)
        {
            bytes = _bytes.AsMemory((int)offset, length);
        }
        else
        {
            var buffer = new byte[length];
            ReadExactly(_handle!, buffer, offset);
            bytes = buffer;
        }
        if (Crc32C.Compute(bytes.Span) == crc)
            return true;
        _damage.TryAdd(offset, $"{what} of {key} at offset {offset}: CRC mismatch");
        bytes = default;
        return false;
    }

    private static (long Offset, int Length, uint Crc) ParseHeaderAndFooter(ReadOnlySpan<byte> data, long fileLength)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(data) != BlockLayout.HeaderMagic)
            throw new BlockFormatException("not a block file (bad header magic)");
        var version = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        if (version != BlockLayout.Version)
            throw new BlockFormatException($"unsupported block format version {version}");
        // Flags and reserved bytes are zero in version 1; checking them leaves no header byte unverified.
        if (BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) != 0 || BinaryPrimitives.ReadUInt64LittleEndian(data[8..]) != 0)
            throw new BlockFormatException("unknown header flags");
        var footer = data[BlockLayout.HeaderBytes..];
        if (BinaryPrimitives.ReadUInt32LittleEndian(footer[20..]) != BlockLayout.FooterMagic)
            throw new BlockFormatException("bad footer magic (truncated or overwritten)");
        if (BinaryPrimitives.ReadUInt32LittleEndian(footer[16..]) != Crc32C.Compute(footer[..16]))
            throw new BlockFormatException("footer CRC mismatch");
        var offset = BinaryPrimitives.ReadInt64LittleEndian(footer);
        var length = BinaryPrimitives.ReadInt32LittleEndian(footer[8..]);
        if (offset < BlockLayout.HeaderBytes || length < 0 || offset + length != fileLength - BlockLayout.FooterBytes)
            throw new BlockFormatException($"index [{offset}, +{length}) does not end at the footer");
        return (offset, length, BinaryPrimitives.ReadUInt32LittleEndian(footer[12..]));
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset, byte[]? cached = null)
    {
        if (cached is not null)
        {
            cached.AsSpan((int)offset, destination.Length).CopyTo(destination);
            return;
        }
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
                throw new BlockFormatException($"file ends before offset {offset}");
            destination = destination[read..];
            offset += read;
        }
    }

    public void Dispose() => _handle?.Dispose();
}
