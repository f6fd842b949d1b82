using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Fabrica.Edge.Pipeline;

namespace Fabrica.Edge.Buffering;

/// <summary>
/// Binary form of a <see cref="SampleBatch"/> inside a buffer record. Independent of the uplink format, so that a
/// backlog written for the JSON uplink can be sent as Sparkplug B after a configuration change.
/// <code>
/// u8   batch format (1)
/// u16  device id length, UTF-8 bytes
/// u16  tag count T, then T × (u16 length, UTF-8 bytes)
/// u32  sample count N, then N × sample:
///        u16 tag index (into the T tags), i64 timestamp (UTC Unix ms), u8 quality, u8 value kind,
///        value: f64 (kind 1) | i64 (kind 2) | u8 0/1 (kind 3) | u32 length + UTF-8 bytes (kind 4)
/// </code>
/// </summary>
internal static class SampleBatchCodec
{
    private const byte Format = 1;

    public static void Encode(SampleBatch batch, IBufferWriter<byte> output)
    {
        var tags = new Dictionary<string, ushort>(StringComparer.Ordinal);
        var tagList = new List<string>();
        foreach (var sample in batch.Samples)
        {
            if (!tags.ContainsKey(sample.Tag))
            {
                tags[sample.Tag] = checked((ushort)tagList.Count);
                tagList.Add(sample.Tag);
            }
        }
        Write(output, Format);
        WriteString16(output, batch.DeviceId);
        WriteU16(output, (ushort)tagList.Count);
        foreach (var tag in tagList)
            WriteString16(output, tag);
        var span = output.GetSpan(4);
        BinaryPrimitives.WriteInt32LittleEndian(span, batch.Samples.Count);
        output.Advance(4);
        foreach (var (tag, sample) in batch.Samples)
        {
            span = output.GetSpan(20);
            BinaryPrimitives.WriteUInt16LittleEndian(span, tags[tag]);
            BinaryPrimitives.WriteInt64LittleEndian(span[2..], sample.Timestamp);
            span[10] = (byte)sample.Quality;
            span[11] = (byte)sample.Value.Kind;
            switch (sample.Value.Kind)
            {
                case ValueKind.Double or ValueKind.Long:
                    BinaryPrimitives.WriteInt64LittleEndian(span[12..], sample.Value.RawBits);
                    output.Advance(20);
                    break;
                case ValueKind.Bool:
                    span[12] = (byte)sample.Value.RawBits;
                    output.Advance(13);
                    break;
                case ValueKind.String:
                    output.Advance(12);
                    var text = sample.Value.AsString();
                    span = output.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(text.Length));
                    var length = Encoding.UTF8.GetBytes(text, span[4..]);
                    BinaryPrimitives.WriteInt32LittleEndian(span, length);
                    output.Advance(4 + length);
                    break;
                default:
                    throw new ArgumentException($"sample of {batch.DeviceId}/{tag} has no value", nameof(batch));
            }
        }
    }

    /// <summary>Decodes a payload whose checksum passed; a malformed one (a bug, not a torn write) throws.</summary>
    public static SampleBatch Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        if (reader.U8() != Format)
            ThrowMalformed("unknown batch format");
        var device = reader.String(reader.U16());
        var tags = new string[reader.U16()];
        for (var i = 0; i < tags.Length; i++)
            tags[i] = reader.String(reader.U16());
        var count = reader.I32();
        if (count < 0 || count > payload.Length / 13)
            ThrowMalformed("sample count beyond the payload");
        var samples = new TagSample[count];
        for (var i = 0; i < count; i++)
        {
            var tagIndex = reader.U16();
            if (tagIndex >= tags.Length)
                ThrowMalformed("tag index out of range");
            var timestamp = reader.I64();
            var quality = (Quality)reader.U8();
            if (quality > Quality.Bad)
                ThrowMalformed("unknown quality");
            SampleValue value = (ValueKind)reader.U8() switch
            {
                ValueKind.Double => SampleValue.FromDouble(BitConverter.Int64BitsToDouble(reader.I64())),
                ValueKind.Long => SampleValue.FromLong(reader.I64()),
                ValueKind.Bool => SampleValue.FromBool(reader.U8() != 0),
                ValueKind.String => SampleValue.FromString(reader.String(reader.I32())),
                _ => ThrowMalformed<SampleValue>("unknown value kind"),
            };
            samples[i] = new TagSample(tags[tagIndex], new Sample(timestamp, value, quality));
        }
        if (!reader.AtEnd)
            ThrowMalformed("bytes after the last sample");
        return new SampleBatch(device, samples);
    }

    private static void Write(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void WriteU16(IBufferWriter<byte> output, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(output.GetSpan(2), value);
        output.Advance(2);
    }

    private static void WriteString16(IBufferWriter<byte> output, string value)
    {
        var span = output.GetSpan(2 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var length = Encoding.UTF8.GetBytes(value, span[2..]);
        BinaryPrimitives.WriteUInt16LittleEndian(span, checked((ushort)length));
        output.Advance(2 + length);
    }

    [DoesNotReturn]
    private static void ThrowMalformed(string reason) => throw new InvalidDataException($"malformed sample batch in the edge buffer: {reason}");

    [DoesNotReturn]
    private static T ThrowMalformed<T>(string reason) => throw new InvalidDataException($"malformed sample batch in the edge buffer: {reason}");

    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool AtEnd => _position == _data.Length;

        public byte U8() => Take(1)[0];

        public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

        public int I32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public string String(int length) => length < 0 ? ThrowMalformed<string>("negative length") : Encoding.UTF8.GetString(Take(length));

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > _data.Length - _position)
                ThrowMalformed("truncated");
            var span = _data.Slice(_position, count);
            _position += count;
            return span;
        }
    }
}
