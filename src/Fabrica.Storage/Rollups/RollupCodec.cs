using Fabrica.Storage.Blocks;

namespace Fabrica.Storage.Rollups;

/// <summary>
/// Serialised roll-up records of one series and one tier, oldest bucket first:
/// <code>
/// count:i32 | count × ( bucket:i64 | count:i64 | flags:u8 (bit 0 = has numeric) | sum:f64 | min:f64 | max:f64
///                       | first:sample | last:sample )
/// sample = ts:i64 | quality:u8 | kind:u8 | ( bits:i64 | len:i32 utf8[len] for strings )
/// </code>
/// </summary>
internal static class RollupCodec
{
    private const int MinRecordBytes = 8 + 8 + 1 + 24 + 2 * 14; // a sample takes 14 bytes at least (an empty string)

    public static void Write(BlockBinaryWriter writer, ReadOnlySpan<RollupRecord> records)
    {
        writer.WriteInt32(records.Length);
        foreach (var record in records)
        {
            var a = record.Aggregate;
            writer.WriteInt64(record.Bucket);
            writer.WriteInt64(a.Count);
            writer.WriteByte(a.HasNumeric ? (byte)1 : (byte)0);
            writer.WriteDouble(a.Sum);
            writer.WriteDouble(a.Min);
            writer.WriteDouble(a.Max);
            writer.WriteSample(a.First);
            writer.WriteSample(a.Last);
        }
    }

    public static void Read(ReadOnlySpan<byte> data, List<RollupRecord> destination)
    {
        var reader = new BlockBinaryReader(data);
        var count = reader.ReadCount(MinRecordBytes);
        for (var i = 0; i < count; i++)
        {
            var bucket = reader.ReadInt64();
            var aggregate = new Aggregate { Count = reader.ReadInt64() };
            aggregate.HasNumeric = (reader.ReadByte() & 1) != 0;
            aggregate.Sum = reader.ReadDouble();
            aggregate.Min = reader.ReadDouble();
            aggregate.Max = reader.ReadDouble();
            aggregate.First = reader.ReadSample();
            aggregate.Last = reader.ReadSample();
            if (aggregate.Count <= 0)
                throw new BlockFormatException($"roll-up bucket {bucket} has count {aggregate.Count}");
            destination.Add(new RollupRecord(bucket, aggregate));
        }
    }
}
