using System.Buffers.Binary;
using Fabrica.Storage.Blocks;
using Fabrica.IO;

namespace Fabrica.Storage.Retention;

/// <summary>
/// <c>retention.state</c>: the raw horizon, the time before which retention may have dropped raw samples (roll-ups
/// remain). It is written durably before any raw data is dropped, because roll-up maintenance must know where raw
/// data is incomplete; a block cannot carry it, since the block that carried it might be the one deleted.
/// Format: horizon i64 | CRC-32C u32.
/// </summary>
internal static class RawHorizonFile
{
    public const string FileName = "retention.state";

    public static long Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            return long.MinValue;
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != 12 || BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)) != Crc32C.Compute(bytes.AsSpan(0, 8)))
            throw new BlockFormatException($"{path} is damaged");
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    public static void Write(string directory, long horizon)
    {
        Span<byte> bytes = stackalloc byte[12];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, horizon);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[8..], Crc32C.Compute(bytes[..8]));
        DurableDirectory.WriteFileAtomically(Path.Combine(directory, FileName), bytes);
    }
}
