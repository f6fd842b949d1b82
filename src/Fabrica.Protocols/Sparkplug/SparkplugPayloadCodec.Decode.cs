using System.Buffers;
using Org.Eclipse.Tahu.Protobuf;
using ProtoMetric = Org.Eclipse.Tahu.Protobuf.Payload.Types.Metric;
using ValueCase = Org.Eclipse.Tahu.Protobuf.Payload.Types.Metric.ValueOneofCase;
using WireField = Fabrica.Protocols.Sparkplug.SparkplugValue.WireField;

namespace Fabrica.Protocols.Sparkplug;

public static partial class SparkplugPayloadCodec
{
    /// <exception cref="SparkplugProtocolException">Not a Sparkplug B payload, or beyond <paramref name="limits"/>.</exception>
    public static SparkplugPayload Decode(ReadOnlySpan<byte> payload, SparkplugLimits? limits = null)
    {
        limits ??= SparkplugLimits.Default;
        CheckSize(payload.Length, limits);
        Payload proto;
        try
        {
            proto = Payload.Parser.ParseFrom(payload);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Malformed(e);
        }
        return FromProto(proto, limits);
    }

    /// <exception cref="SparkplugProtocolException">Not a Sparkplug B payload, or beyond <paramref name="limits"/>.</exception>
    public static SparkplugPayload Decode(in ReadOnlySequence<byte> payload, SparkplugLimits? limits = null)
    {
        limits ??= SparkplugLimits.Default;
        if (payload.IsSingleSegment)
            return Decode(payload.FirstSpan, limits);
        CheckSize(payload.Length, limits);
        Payload proto;
        try
        {
            proto = Payload.Parser.ParseFrom(payload);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Malformed(e);
        }
        return FromProto(proto, limits);
    }

    private static void CheckSize(long length, SparkplugLimits limits)
    {
        if (length > limits.MaxPayloadBytes)
            SparkplugProtocolException.Throw(SparkplugErrorReason.LimitExceeded, $"the payload has {length} bytes, more than the limit of {limits.MaxPayloadBytes}");
    }

    private static SparkplugProtocolException Malformed(Exception e) =>
        new(SparkplugErrorReason.MalformedPayload, $"the payload is not a Sparkplug B protobuf message: {e.Message}", e);

    private static SparkplugPayload FromProto(Payload proto, SparkplugLimits limits)
    {
        if (proto.Metrics.Count > limits.MaxMetrics)
            SparkplugProtocolException.Throw(SparkplugErrorReason.LimitExceeded, $"the payload has {proto.Metrics.Count} metrics, more than the limit of {limits.MaxMetrics}");
        byte? seq = null;
        if (proto.HasSeq)
        {
            seq = proto.Seq <= byte.MaxValue ? (byte)proto.Seq
                : SparkplugProtocolException.Throw<byte>(SparkplugErrorReason.InvalidField, $"seq {proto.Seq} is beyond 255");
        }
        var metrics = new SparkplugMetric[proto.Metrics.Count];
        for (var i = 0; i < metrics.Length; i++)
            metrics[i] = FromProto(proto.Metrics[i], limits);
        return new SparkplugPayload(proto.HasTimestamp ? Milliseconds(proto.Timestamp, "payload") : null, seq, metrics)
        {
            Uuid = proto.HasUuid ? proto.Uuid : null,
            Body = proto.HasBody ? proto.Body.ToByteArray() : null,
        };
    }

    private static SparkplugMetric FromProto(ProtoMetric proto, SparkplugLimits limits)
    {
        var name = proto.HasName ? proto.Name : null;
        if (name is not null && name.Length > limits.MaxNameLength)
            SparkplugProtocolException.Throw(SparkplugErrorReason.LimitExceeded, $"a metric name has {name.Length} characters, more than the limit of {limits.MaxNameLength}");
        var label = name ?? (proto.HasAlias ? $"alias {proto.Alias}" : "an unnamed metric");
        var (field, bits, reference) = proto.ValueCase switch
        {
            ValueCase.None => (WireField.None, 0UL, (object?)null),
            ValueCase.IntValue => (WireField.Int, proto.IntValue, null),
            ValueCase.LongValue => (WireField.Long, proto.LongValue, null),
            ValueCase.FloatValue => (WireField.Float, BitConverter.SingleToUInt32Bits(proto.FloatValue), null),
            ValueCase.DoubleValue => (WireField.Double, BitConverter.DoubleToUInt64Bits(proto.DoubleValue), null),
            ValueCase.BooleanValue => (WireField.Boolean, proto.BooleanValue ? 1UL : 0UL, null),
            ValueCase.StringValue => (WireField.String, 0UL, proto.StringValue),
            ValueCase.BytesValue => (WireField.Bytes, 0UL, proto.BytesValue.ToByteArray()),
            _ => SparkplugProtocolException.Throw<(WireField, ulong, object?)>(SparkplugErrorReason.UnsupportedDataType,
                $"metric {label}: {proto.ValueCase} values (DataSet, Template, extensions) are not supported yet"),
        };
        SparkplugValue value;
        try
        {
            value = proto.HasDatatype
                ? SparkplugValue.FromWire((SparkplugDataType)proto.Datatype, proto.IsNull, field, bits, reference)
                : SparkplugValue.Untyped(proto.IsNull, field, bits, reference);
        }
        catch (SparkplugProtocolException e)
        {
            throw new SparkplugProtocolException(e.Reason, $"metric {label}: {e.Message}");
        }
        return new SparkplugMetric(name, proto.HasAlias ? proto.Alias : null, proto.HasTimestamp ? Milliseconds(proto.Timestamp, label) : null, value)
        {
            IsHistorical = proto.IsHistorical,
            IsTransient = proto.IsTransient,
            Quality = proto.Properties is { } properties ? QualityOf(properties, label) : null,
        };
    }

    private static SparkplugQuality? QualityOf(Payload.Types.PropertySet properties, string label)
    {
        if (properties.Keys.Count != properties.Values.Count)
            SparkplugProtocolException.Throw(SparkplugErrorReason.InvalidField, $"metric {label}: the property set has {properties.Keys.Count} keys but {properties.Values.Count} values");
        var index = properties.Keys.IndexOf(QualityProperty);
        if (index < 0)
            return null;
        var property = properties.Values[index];
        if (property.IsNull)
            return null;
        ulong code = property.ValueCase switch
        {
            Payload.Types.PropertyValue.ValueOneofCase.IntValue => property.IntValue,
            Payload.Types.PropertyValue.ValueOneofCase.LongValue => property.LongValue,
            _ => SparkplugProtocolException.Throw<ulong>(SparkplugErrorReason.InvalidField, $"metric {label}: the Quality property is not an integer"),
        };
        return code switch
        {
            0 => SparkplugQuality.Bad,
            192 => SparkplugQuality.Good,
            500 => SparkplugQuality.Stale,
            _ => SparkplugProtocolException.Throw<SparkplugQuality>(SparkplugErrorReason.InvalidField, $"metric {label}: Quality {code} is not 0, 192 or 500"),
        };
    }

    private static long Milliseconds(ulong value, string what) => value <= long.MaxValue
        ? (long)value
        : SparkplugProtocolException.Throw<long>(SparkplugErrorReason.InvalidField, $"{what}: timestamp {value} is beyond Int64");
}
