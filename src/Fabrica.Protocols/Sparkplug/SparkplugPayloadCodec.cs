using System.Buffers;
using Google.Protobuf;
using Org.Eclipse.Tahu.Protobuf;
using ProtoMetric = Org.Eclipse.Tahu.Protobuf.Payload.Types.Metric;
using WireField = Fabrica.Protocols.Sparkplug.SparkplugValue.WireField;

namespace Fabrica.Protocols.Sparkplug;

/// <summary>
/// Sparkplug B payloads to and from bytes, through the types generated from the specification's
/// sparkplug_b.proto (Sparkplug 3.0 §6.4). The MQTT layer frames payloads, so there is no partial-input case:
/// <see cref="Decode(ReadOnlySpan{byte}, SparkplugLimits?)"/> gets the whole payload and either returns it or throws
/// <see cref="SparkplugProtocolException"/>.
/// </summary>
public static partial class SparkplugPayloadCodec
{
    public const string QualityProperty = "Quality";

    public static byte[] Encode(SparkplugPayload payload) => ToProto(payload).ToByteArray();

    public static void Encode(SparkplugPayload payload, IBufferWriter<byte> output) => ToProto(payload).WriteTo(output);

    internal static Payload ToProto(SparkplugPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var proto = new Payload();
        if (payload.Timestamp is { } timestamp)
            proto.Timestamp = Unsigned(timestamp, nameof(payload));
        if (payload.Seq is { } seq)
            proto.Seq = seq;
        if (payload.Uuid is { } uuid)
            proto.Uuid = uuid;
        if (payload.Body is { } body)
            proto.Body = UnsafeByteOperations.UnsafeWrap(body);
        foreach (var metric in payload.Metrics)
            proto.Metrics.Add(ToProto(metric));
        return proto;
    }

    private static ProtoMetric ToProto(SparkplugMetric metric)
    {
        var proto = new ProtoMetric();
        if (metric.Name is { } name)
            proto.Name = name;
        if (metric.Alias is { } alias)
            proto.Alias = alias;
        if (metric.Timestamp is { } timestamp)
            proto.Timestamp = Unsigned(timestamp, nameof(metric));
        var value = metric.Value;
        if (value.DataType != SparkplugDataType.Unknown)
            proto.Datatype = (uint)value.DataType;
        if (metric.IsHistorical)
            proto.IsHistorical = true;
        if (metric.IsTransient)
            proto.IsTransient = true;
        if (metric.Quality is { } quality)
        {
            proto.Properties = new Payload.Types.PropertySet();
            proto.Properties.Keys.Add(QualityProperty);
            proto.Properties.Values.Add(new Payload.Types.PropertyValue { Type = (uint)SparkplugDataType.Int32, IntValue = (uint)quality });
        }
        if (value.IsNull)
        {
            proto.IsNull = true;
            return proto;
        }
        switch (value.Field)
        {
            case WireField.Int:
                proto.IntValue = (uint)value.Bits;
                break;
            case WireField.Long:
                proto.LongValue = value.Bits;
                break;
            case WireField.Float:
                proto.FloatValue = BitConverter.UInt32BitsToSingle((uint)value.Bits);
                break;
            case WireField.Double:
                proto.DoubleValue = BitConverter.UInt64BitsToDouble(value.Bits);
                break;
            case WireField.Boolean:
                proto.BooleanValue = value.Bits != 0;
                break;
            case WireField.String:
                proto.StringValue = (string)value.Reference!;
                break;
            case WireField.Bytes:
                proto.BytesValue = UnsafeByteOperations.UnsafeWrap((byte[])value.Reference!);
                break;
        }
        return proto;
    }

    private static ulong Unsigned(long milliseconds, string paramName) =>
        milliseconds >= 0 ? (ulong)milliseconds : throw new ArgumentOutOfRangeException(paramName, milliseconds, "Sparkplug timestamps are unsigned milliseconds since 1970.");
}
