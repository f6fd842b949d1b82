using System.Text;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Fabrica.Storage.Wal;

/// <summary>
/// Encodes samples into sample-batch records (type 1). Payload layout:
/// <code>
/// varint stringCount, then per string: varint byteLength, UTF-8 bytes    (distinct devices and tags)
/// varint seriesCount, then per series: varint deviceString, varint tagString
/// varint sampleCount, then per sample:
///   varint series index
///   zigzag varint timestamp minus the previous sample's timestamp in this record (the first: minus 0)
///   u8 flags: bits 0-2 value kind (1-4), bits 3-4 quality (0-2), bit 5 the bool value, bits 6-7 zero
///   value: double = 8 bytes of IEEE bits; long = zigzag varint; bool = none (in flags); string = varint length + UTF-8
/// </code>
/// A batch larger than <see cref="WalFormat.RecordTargetBytes"/> or <see cref="WalFormat.MaxSamplesPerRecord"/>
/// becomes several records. Not thread-safe: the committer owns one.
/// </summary>
internal sealed class WalRecordEncoder : IDisposable
{
    private const int MaxFixedSampleBytes = 5 + Varint.MaxBytes64 + 1 + Varint.MaxBytes64;
    private const int MaxSeriesEntryBytes = 10;

    private readonly Dictionary<SeriesKey, int> _seriesIndex = [];
    private readonly Dictionary<string, int> _stringIndex = new(StringComparer.Ordinal);
    private readonly List<string> _strings = [];
    private readonly List<(int Device, int Tag)> _series = [];
    private readonly WalBuffer _samples = new(256 * 1024);
    private readonly WalBuffer _table = new(16 * 1024);

    /// <summary>Appends records for <paramref name="samples"/> (validated by <see cref="Validate"/>) to <paramref name="output"/>.</summary>
    /// <returns>The number of records written.</returns>
    public int Encode(ReadOnlySpan<SeriesSample> samples, WalBuffer output)
    {
        var records = 0;
        while (!samples.IsEmpty)
        {
            var taken = EncodeRecord(samples, output);
            samples = samples[taken..];
            records++;
        }
        return records;
    }

    /// <summary>Rejects what the decoder would refuse, so a commit never holds an unreadable record.</summary>
    public static void Validate(ReadOnlySpan<SeriesSample> samples)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            ref readonly var s = ref samples[i];
            if (s.Series.Device is null || s.Series.Tag is null)
                ThrowInvalid(i, "has no series key");
            if (TooLong(s.Series.Device, WalFormat.MaxKeyBytes) || TooLong(s.Series.Tag, WalFormat.MaxKeyBytes))
                ThrowInvalid(i, $"has a device or tag longer than {WalFormat.MaxKeyBytes} UTF-8 bytes");
            var value = s.Sample.Value;
            if (value.Kind is < ValueKind.Double or > ValueKind.String)
                ThrowInvalid(i, $"has no value (kind {(int)value.Kind})");
            if ((byte)s.Sample.Quality > (byte)Quality.Bad)
                ThrowInvalid(i, $"has an unknown quality {(int)s.Sample.Quality}");
            if (value.Kind == ValueKind.String && TooLong(value.AsString(), WalFormat.MaxStringValueBytes))
                ThrowInvalid(i, $"has a string value longer than {WalFormat.MaxStringValueBytes} UTF-8 bytes");
        }

        static bool TooLong(string text, int maxBytes) =>
            text.Length > maxBytes || (text.Length * 3 > maxBytes && Encoding.UTF8.GetByteCount(text) > maxBytes);
    }

    private int EncodeRecord(ReadOnlySpan<SeriesSample> samples, WalBuffer output)
    {
        _seriesIndex.Clear();
        _stringIndex.Clear();
        _strings.Clear();
        _series.Clear();
        _samples.Clear();

        var tableBytes = 0;
        var count = 0;
        var previous = 0L;
        string? lastDevice = null, lastTag = null;
        var lastIndex = -1;
        foreach (ref readonly var s in samples)
        {
            if (count == WalFormat.MaxSamplesPerRecord || _samples.Length + tableBytes >= WalFormat.RecordTargetBytes)
                break;

            var key = s.Series;
            int index;
            if (ReferenceEquals(key.Device, lastDevice) && ReferenceEquals(key.Tag, lastTag))
            {
                index = lastIndex;
            }
            else
            {
                index = SeriesIndex(key, ref tableBytes);
                (lastDevice, lastTag, lastIndex) = (key.Device, key.Tag, index);
            }

            var value = s.Sample.Value;
            var text = value.Kind == ValueKind.String ? value.AsString() : null;
            var textBytes = text is null ? 0 : Encoding.UTF8.GetByteCount(text);
            var span = _samples.GetSpan(MaxFixedSampleBytes + 5 + textBytes);

            var n = Varint.Write(span, (uint)index);
            var timestamp = s.Sample.Timestamp;
            n += Varint.WriteZigZag(span[n..], unchecked(timestamp - previous));
            previous = timestamp;

            var flags = (int)value.Kind | ((int)s.Sample.Quality << 3);
            switch (value.Kind)
            {
                case ValueKind.Double:
                    span[n++] = (byte)flags;
                    BinaryPrimitives.WriteInt64LittleEndian(span[n..], value.RawBits);
                    n += 8;
                    break;
                case ValueKind.Long:
                    span[n++] = (byte)flags;
                    n += Varint.WriteZigZag(span[n..], value.RawBits);
                    break;
                case ValueKind.Bool:
                    span[n++] = (byte)(flags | (value.RawBits != 0 ? 0x20 : 0));
                    break;
                default:
                    span[n++] = (byte)flags;
                    n += Varint.Write(span[n..], (uint)textBytes);
                    n += Encoding.UTF8.GetBytes(text, span[n..]);
                    break;
            }
            _samples.Advance(n);
            count++;
        }

        WriteTable();
        var payloadLength = _table.Length + Varint.Size((uint)count) + _samples.Length;
        var record = output.GetSpan(WalFormat.RecordHeaderBytes + payloadLength)[..(WalFormat.RecordHeaderBytes + payloadLength)];
        record[8] = WalFormat.SampleBatchRecord;
        var payload = record[WalFormat.RecordHeaderBytes..];
        _table.WrittenSpan.CopyTo(payload);
        var p = _table.Length;
        p += Varint.Write(payload[p..], (uint)count);
        _samples.WrittenSpan.CopyTo(payload[p..]);
        p += _samples.Length;
        record = record[..(WalFormat.RecordHeaderBytes + p)];
        WalFormat.CompleteRecord(record);
        output.Advance(record.Length);
        return count;
    }

    private int SeriesIndex(SeriesKey key, ref int tableBytes)
    {
        if (_seriesIndex.TryGetValue(key, out var index))
            return index;
        var device = StringIndex(key.Device, ref tableBytes);
        var tag = StringIndex(key.Tag, ref tableBytes);
        index = _series.Count;
        _series.Add((device, tag));
        _seriesIndex.Add(key, index);
        tableBytes += MaxSeriesEntryBytes;
        return index;
    }

    private int StringIndex(string text, ref int tableBytes)
    {
        if (_stringIndex.TryGetValue(text, out var index))
            return index;
        index = _strings.Count;
        _strings.Add(text);
        _stringIndex.Add(text, index);
        tableBytes += 5 + text.Length * 3;
        return index;
    }

    private void WriteTable()
    {
        _table.Clear();
        var head = _table.GetSpan(5);
        _table.Advance(Varint.Write(head, (uint)_strings.Count));
        foreach (var text in _strings)
        {
            var bytes = Encoding.UTF8.GetByteCount(text);
            var span = _table.GetSpan(5 + bytes);
            var n = Varint.Write(span, (uint)bytes);
            n += Encoding.UTF8.GetBytes(text, span[n..]);
            _table.Advance(n);
        }
        head = _table.GetSpan(5);
        _table.Advance(Varint.Write(head, (uint)_series.Count));
        foreach (var (device, tag) in _series)
        {
            var span = _table.GetSpan(MaxSeriesEntryBytes);
            var n = Varint.Write(span, (uint)device);
            n += Varint.Write(span[n..], (uint)tag);
            _table.Advance(n);
        }
    }

    [DoesNotReturn]
    private static void ThrowInvalid(int index, string problem) =>
        throw new ArgumentException($"Sample {index} {problem}.", "samples");

    public void Dispose()
    {
        _samples.Dispose();
        _table.Dispose();
    }
}
