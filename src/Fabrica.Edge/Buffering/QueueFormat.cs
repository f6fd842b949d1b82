using System.Buffers.Binary;
using System.Globalization;
using Fabrica.IO;

namespace Fabrica.Edge.Buffering;

/// <summary>
/// On-disk layout of the store-and-forward buffer (format version 1), little-endian throughout.
/// A buffer directory holds segment files named by the sequence number of their first record
/// (<c>00000000000000000001.seg</c>) and one checkpoint file (<c>head</c>, see <see cref="HeadCheckpoint"/>).
/// <code>
/// Segment header (32 bytes)
/// +0  u32  magic "FEQ1" (46 45 51 31)
/// +4  u16  format version (1)
/// +6  u16  flags (0)
/// +8  u64  sequence number of the first record (also the file name)
/// +16 i64  creation time, UTC Unix ms (for people)
/// +24 u32  reserved (0)
/// +28 u32  CRC32C of bytes +0..+28
///
/// Record (20-byte header + payload), repeated to the end of the file
/// +0  u32  payload length L (1 ≤ L ≤ MaxPayloadBytes)
/// +4  u32  CRC32C of bytes +0..+4 and +8..+20+L (length, sequence, count, payload)
/// +8  u64  sequence number: the previous record's plus one
/// +16 u32  number of samples in the payload
/// +20 L    payload: one sample batch of one device (<see cref="SampleBatchCodec"/>)
/// </code>
/// Segments are append-only and not preallocated: the end of the file is the end of the data. A record whose
/// length runs past the end, whose checksum fails, or whose sequence number is not the next one ends the segment;
/// in the newest segment that is a torn write from a crash and is cut off.
/// </summary>
internal static class QueueFormat
{
    public const uint Magic = 0x31514546; // "FEQ1" read as little-endian u32
    public const ushort Version = 1;
    public const int SegmentHeaderBytes = 32;
    public const int RecordHeaderBytes = 20;

    /// <summary>A batch is cut at 256 KiB of JSON; its binary form is smaller. Anything larger is damage.</summary>
    public const int MaxPayloadBytes = 4 * 1024 * 1024;

    public const string SegmentExtension = ".seg";

    public static string SegmentFileName(long firstSeq) => firstSeq.ToString("D20", CultureInfo.InvariantCulture) + SegmentExtension;

    public static bool TryParseSegmentFileName(string fileName, out long firstSeq)
    {
        firstSeq = 0;
        if (!fileName.EndsWith(SegmentExtension, StringComparison.Ordinal))
            return false;
        var digits = fileName.AsSpan(0, fileName.Length - SegmentExtension.Length);
        return digits.Length == 20 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out firstSeq) && firstSeq > 0;
    }

    public static void WriteSegmentHeader(Span<byte> destination, long firstSeq, long createdUnixMs)
    {
        destination[..SegmentHeaderBytes].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], firstSeq);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], createdUnixMs);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], Crc32C.Compute(destination[..28]));
    }

    /// <summary>Null when the header is valid for a segment named <paramref name="firstSeq"/>, else why not.</summary>
    public static string? CheckSegmentHeader(ReadOnlySpan<byte> header, long firstSeq)
    {
        if (header.Length < SegmentHeaderBytes)
            return "shorter than a segment header (a crash while the segment was created)";
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
            return "bad magic (not a Fabrica edge buffer segment)";
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[28..]) != Crc32C.Compute(header[..28]))
            return "segment header checksum mismatch";
        var version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (version != Version)
            return $"unsupported format version {version} (this build reads version {Version})";
        if (BinaryPrimitives.ReadInt64LittleEndian(header[8..]) != firstSeq)
            return "the header names another first record than the file name";
        return null;
    }

    /// <summary>Writes the record header in front of a payload already placed at <c>record[20..]</c>.</summary>
    public static void CompleteRecord(Span<byte> record, long seq, int sampleCount)
    {
        BinaryPrimitives.WriteInt32LittleEndian(record, record.Length - RecordHeaderBytes);
        BinaryPrimitives.WriteInt64LittleEndian(record[8..], seq);
        BinaryPrimitives.WriteInt32LittleEndian(record[16..], sampleCount);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Checksum(record));
    }

    public static uint Checksum(ReadOnlySpan<byte> record) => Crc32C.Append(Crc32C.Compute(record[..4]), record[8..]);

    /// <summary>Reads a record header; false if the length is impossible (damage or a torn write).</summary>
    public static bool TryReadRecordHeader(ReadOnlySpan<byte> header, out int payloadLength, out long seq, out int sampleCount)
    {
        payloadLength = BinaryPrimitives.ReadInt32LittleEndian(header);
        seq = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        sampleCount = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        return payloadLength is >= 1 and <= MaxPayloadBytes && sampleCount >= 0;
    }
}
