using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Fabrica.IO;

namespace Fabrica.Storage.Wal;

/// <summary>
/// On-disk layout of WAL segments (format version 1), little-endian throughout.
/// <code>
/// Segment header (24 bytes)
/// +0  u32  magic "FWAL" (46 57 41 4C)
/// +4  u16  format version (1)
/// +6  u16  flags (0)
/// +8  u64  segment number (also the file name, 00000001.wal)
/// +16 u32  reserved (0)
/// +20 u32  CRC32C of bytes +0..+20
///
/// Record (9-byte header + payload), repeated until the end of the written data
/// +0  u32  payload length L (1 ≤ L ≤ MaxRecordPayloadBytes)
/// +4  u32  CRC32C of the length field, the type and the payload (bytes +0..+4 and +8..+9+L)
/// +8  u8   record type (1 = sample batch, see WalRecordEncoder)
/// +9  L    payload
/// </code>
/// A record header of nine zero bytes marks the end of the written data: segments are zero-filled ahead of the
/// logical end, and no valid record has length 0. Anything non-zero after that marker is a torn write.
/// </summary>
internal static class WalFormat
{
    public const uint Magic = 0x4C415746; // "FWAL" read as little-endian u32
    public const ushort Version = 1;
    public const int SegmentHeaderBytes = 24;
    public const int RecordHeaderBytes = 9;
    public const byte SampleBatchRecord = 1;
    public const string SegmentExtension = ".wal";

    /// <summary>The encoder closes a record once its payload reaches this size.</summary>
    public const int RecordTargetBytes = 1024 * 1024;
    public const int MaxSamplesPerRecord = 65_536;
    public const int MaxKeyBytes = 1024;
    public const int MaxStringValueBytes = 256 * 1024;

    /// <summary>Target plus the largest single sample (two new keys and a string value) plus counts.</summary>
    public const int MaxRecordPayloadBytes = 2 * 1024 * 1024;

    public static string SegmentFileName(long segment) => segment.ToString("D8", System.Globalization.CultureInfo.InvariantCulture) + SegmentExtension;

    public static bool TryParseSegmentFileName(string fileName, out long segment)
    {
        segment = 0;
        if (!fileName.EndsWith(SegmentExtension, StringComparison.Ordinal))
            return false;
        var digits = fileName.AsSpan(0, fileName.Length - SegmentExtension.Length);
        if (digits.IsEmpty || digits.Length > 18)
            return false;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
                return false;
        }
        segment = long.Parse(digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        return segment > 0;
    }

    public static void WriteSegmentHeader(Span<byte> destination, long segment)
    {
        destination[..SegmentHeaderBytes].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], segment);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], Crc32C.Compute(destination[..20]));
    }

    /// <summary>Checks a segment header; throws <see cref="WalCorruptionException"/> with a reason a person can act on.</summary>
    public static void ReadSegmentHeader(ReadOnlySpan<byte> header, long expectedSegment)
    {
        if (!header.ContainsAnyExcept((byte)0))
            ThrowCorrupt(0, "incomplete segment header (all zeros: a crash while the segment was created)");
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (magic != Magic)
            ThrowCorrupt(0, $"bad magic 0x{magic:X8}, expected 0x{Magic:X8} (not a Fabrica WAL segment)");
        var version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (version != Version)
            ThrowCorrupt(4, $"unsupported format version {version} (this build reads version {Version})");
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[20..]) != Crc32C.Compute(header[..20]))
            ThrowCorrupt(0, "segment header checksum mismatch");
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        if (flags != 0)
            ThrowCorrupt(6, $"unknown segment flags 0x{flags:X4}");
        var segment = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        if (segment != expectedSegment)
            ThrowCorrupt(8, $"header names segment {segment} but the file name says {expectedSegment}");
    }

    /// <summary>Fills in length and checksum of a record whose type and payload are already in place.</summary>
    public static void CompleteRecord(Span<byte> record)
    {
        var payloadLength = record.Length - RecordHeaderBytes;
        BinaryPrimitives.WriteInt32LittleEndian(record, payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32C.Append(Crc32C.Compute(record[..4]), record[8..]));
    }

    public static uint RecordChecksum(ReadOnlySpan<byte> record) =>
        Crc32C.Append(Crc32C.Compute(record[..4]), record[8..]);

    [DoesNotReturn]
    public static void ThrowCorrupt(long offset, string reason) => throw new WalCorruptionException(offset, reason);
}

/// <summary>Malformed WAL data: the offset (relative to what was being read) and why.</summary>
internal sealed class WalCorruptionException(long offset, string reason) : Exception(reason)
{
    public long Offset { get; } = offset;

    public string Reason { get; } = reason;
}
