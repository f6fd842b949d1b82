using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Fabrica.IO;

namespace Fabrica.Edge.Buffering;

/// <summary>
/// The durable part of the buffer's read side: the first record not yet acknowledged by the platform (everything
/// before it may be deleted), and the totals of records and samples dropped because the buffer was full.
/// <para>
/// File <c>head</c>: two 64-byte slots written alternately in place and fsynced; the valid slot with the higher
/// generation wins. A torn write can damage only the slot being written, so the previous state survives.
/// <code>
/// +0  u32 magic "FEQH"   +4 u32 reserved   +8 u64 generation   +16 u64 head sequence
/// +24 i64 dropped records   +32 i64 dropped samples   +40..+60 reserved   +60 u32 CRC32C of +0..+60
/// </code>
/// </para>
/// </summary>
internal sealed class HeadCheckpoint : IDisposable
{
    public const string FileName = "head";
    private const uint Magic = 0x48514546; // "FEQH"
    private const int SlotBytes = 64;

    private readonly SafeFileHandle _file;
    private long _generation;

    private HeadCheckpoint(SafeFileHandle file, State state, long generation)
    {
        _file = file;
        Saved = state;
        _generation = generation;
    }

    public readonly record struct State(long Head, long DroppedRecords, long DroppedSamples);

    /// <summary>What the file held when opened, then what was last written.</summary>
    public State Saved { get; private set; }

    public static HeadCheckpoint Open(string directory)
    {
        var file = File.OpenHandle(Path.Combine(directory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        Span<byte> slots = stackalloc byte[2 * SlotBytes];
        slots.Clear();
        _ = RandomAccess.Read(file, slots, 0);
        State best = new(1, 0, 0);
        long bestGeneration = 0;
        for (var i = 0; i < 2; i++)
        {
            var slot = slots.Slice(i * SlotBytes, SlotBytes);
            if (BinaryPrimitives.ReadUInt32LittleEndian(slot) != Magic || BinaryPrimitives.ReadUInt32LittleEndian(slot[60..]) != Crc32C.Compute(slot[..60]))
                continue;
            var generation = BinaryPrimitives.ReadInt64LittleEndian(slot[8..]);
            if (generation > bestGeneration)
            {
                bestGeneration = generation;
                best = new State(BinaryPrimitives.ReadInt64LittleEndian(slot[16..]), BinaryPrimitives.ReadInt64LittleEndian(slot[24..]), BinaryPrimitives.ReadInt64LittleEndian(slot[32..]));
            }
        }
        return new HeadCheckpoint(file, best, bestGeneration);
    }

    /// <summary>Writes the next slot and fsyncs it; on return the state survives a crash.</summary>
    public void Write(State state)
    {
        var generation = _generation + 1;
        Span<byte> slot = stackalloc byte[SlotBytes];
        slot.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(slot, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(slot[8..], generation);
        BinaryPrimitives.WriteInt64LittleEndian(slot[16..], state.Head);
        BinaryPrimitives.WriteInt64LittleEndian(slot[24..], state.DroppedRecords);
        BinaryPrimitives.WriteInt64LittleEndian(slot[32..], state.DroppedSamples);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[60..], Crc32C.Compute(slot[..60]));
        RandomAccess.Write(_file, slot, (generation % 2) * SlotBytes);
        RandomAccess.FlushToDisk(_file);
        _generation = generation;
        Saved = state;
    }

    public void Dispose() => _file.Dispose();
}
