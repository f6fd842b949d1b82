using System.Text;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Fabrica.Storage.Wal;

/// <summary>
/// Decodes sample-batch payloads (layout in <see cref="WalRecordEncoder"/>). Every count and length is checked
/// against the format's limits and the bytes that remain before anything is allocated; malformed input throws
/// <see cref="WalCorruptionException"/> with the payload offset. Arrays are reused: the returned span is valid
/// until the next call. Not thread-safe.
/// </summary>
internal sealed class WalRecordDecoder
{
    private string[] _strings = new string[64];
    private SeriesKey[] _series = new SeriesKey[64];
    private SeriesSample[] _samples = new SeriesSample[1024];

    public ReadOnlySpan<SeriesSample> Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);

        var stringCount = reader.ReadCount(Math.Min(2 * WalFormat.MaxSamplesPerRecord, reader.Remaining), "string count");
        EnsureCapacity(ref _strings, stringCount);
        for (var i = 0; i < stringCount; i++)
        {
            var length = reader.ReadCount(Math.Min(WalFormat.MaxKeyBytes, reader.Remaining), "string length");
            _strings[i] = Encoding.UTF8.GetString(reader.ReadBytes(length));
        }

        var seriesCount = reader.ReadCount(Math.Min(WalFormat.MaxSamplesPerRecord, reader.Remaining / 2), "series count");
        EnsureCapacity(ref _series, seriesCount);
        for (var i = 0; i < seriesCount; i++)
        {
            var device = reader.ReadIndex(stringCount, "device string");
            var tag = reader.ReadIndex(stringCount, "tag string");
            _series[i] = new SeriesKey(_strings[device], _strings[tag]);
        }

        var sampleCount = reader.ReadCount(Math.Min(WalFormat.MaxSamplesPerRecord, reader.Remaining / 3), "sample count");
        EnsureCapacity(ref _samples, sampleCount);
        var previous = 0L;
        for (var i = 0; i < sampleCount; i++)
        {
            var series = reader.ReadIndex(seriesCount, "series");
            var timestamp = unchecked(previous + Varint.DecodeZigZag(reader.ReadVarint()));
            previous = timestamp;
            var flagsOffset = reader.Position;
            var flags = reader.ReadByte();
            var kind = (ValueKind)(flags & 0x07);
            var quality = (Quality)((flags >> 3) & 0x03);
            if ((flags & 0xC0) != 0 || quality > Quality.Bad || (kind != ValueKind.Bool && (flags & 0x20) != 0))
                WalFormat.ThrowCorrupt(flagsOffset, $"invalid sample flags 0x{flags:X2}");
            SampleValue value = kind switch
            {
                ValueKind.Double => SampleValue.FromDouble(BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(reader.ReadBytes(8)))),
                ValueKind.Long => SampleValue.FromLong(Varint.DecodeZigZag(reader.ReadVarint())),
                ValueKind.Bool => SampleValue.FromBool((flags & 0x20) != 0),
                ValueKind.String => SampleValue.FromString(Encoding.UTF8.GetString(
                    reader.ReadBytes(reader.ReadCount(Math.Min(WalFormat.MaxStringValueBytes, reader.Remaining), "string value length")))),
                _ => throw new WalCorruptionException(flagsOffset, $"unknown value kind {(int)kind}"),
            };
            _samples[i] = new SeriesSample(_series[series], new Sample(timestamp, value, quality));
        }
        if (reader.Remaining != 0)
            WalFormat.ThrowCorrupt(reader.Position, $"{reader.Remaining} unexpected bytes after the last sample");
        return _samples.AsSpan(0, sampleCount);
    }

    private static void EnsureCapacity<T>(ref T[] array, int count)
    {
        if (array.Length < count)
            array = new T[Math.Max(count, array.Length * 2)];
    }

    private ref struct PayloadReader(ReadOnlySpan<byte> payload)
    {
        private readonly ReadOnlySpan<byte> _payload = payload;

        public int Position { get; private set; }

        public readonly int Remaining => _payload.Length - Position;

        public ulong ReadVarint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (Position >= _payload.Length)
                    WalFormat.ThrowCorrupt(Position, "payload ends inside a varint");
                var b = _payload[Position++];
                result |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    if (shift == 63 && b > 1)
                        break;
                    return result;
                }
            }
            WalFormat.ThrowCorrupt(Position, "varint longer than 64 bits");
            return 0;
        }

        /// <summary>A count or length, checked against <paramref name="max"/> before the caller allocates.</summary>
        public int ReadCount(int max, string what)
        {
            var offset = Position;
            var value = ReadVarint();
            if (value > (ulong)max)
                WalFormat.ThrowCorrupt(offset, $"{what} {value} exceeds the limit {max}");
            return (int)value;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int ReadIndex(int count, string what)
        {
            var offset = Position;
            var value = ReadVarint();
            if (value >= (ulong)count)
                WalFormat.ThrowCorrupt(offset, $"{what} index {value} out of range (table has {count})");
            return (int)value;
        }

        public byte ReadByte()
        {
            if (Position >= _payload.Length)
                WalFormat.ThrowCorrupt(Position, "payload ends inside a sample");
            return _payload[Position++];
        }

        public ReadOnlySpan<byte> ReadBytes(int count)
        {
            if (count > Remaining)
                WalFormat.ThrowCorrupt(Position, $"needs {count} bytes, {Remaining} remain");
            var bytes = _payload.Slice(Position, count);
            Position += count;
            return bytes;
        }
    }
}
