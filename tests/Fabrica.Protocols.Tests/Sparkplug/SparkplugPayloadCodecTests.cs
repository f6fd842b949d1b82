using CsCheck;
using Fabrica.Protocols.Sparkplug;
using Google.Protobuf;
using Org.Eclipse.Tahu.Protobuf;

namespace Fabrica.Protocols.Tests.Sparkplug;

public sealed class SparkplugPayloadCodecTests
{
    public static TheoryData<string, SparkplugValue> Examples => SparkplugValues.Examples();

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_datatype_survives_a_round_trip_with_name_alias_timestamp_and_datatype(string label, SparkplugValue value)
    {
        var metric = new SparkplugMetric("m/" + label, 42, 1_700_000_000_000, value);
        var payload = new SparkplugPayload(1_700_000_000_500, 17, [metric]);

        var decoded = SparkplugPayloadCodec.Decode(SparkplugPayloadCodec.Encode(payload));

        SparkplugValues.AssertEqual(payload, decoded);
        Assert.Equal(value.DataType, decoded.Metrics[0].DataType);
    }

    [Fact]
    public void Random_payloads_round_trip()
    {
        SparkplugValues.Payload.Sample(payload =>
        {
            var decoded = SparkplugPayloadCodec.Decode(SparkplugPayloadCodec.Encode(payload));
            SparkplugValues.AssertEqual(payload, decoded);
        }, iter: 2_000);
    }

    [Fact]
    public void Quality_historical_and_transient_flags_round_trip_and_good_is_explicit_when_asked()
    {
        var payload = new SparkplugPayload(1, 0,
        [
            new SparkplugMetric("a", null, 1, SparkplugValue.Double(1)) { Quality = SparkplugQuality.Stale, IsHistorical = true },
            new SparkplugMetric("b", null, 1, SparkplugValue.Double(2)) { Quality = SparkplugQuality.Bad, IsTransient = true },
            new SparkplugMetric("c", null, 1, SparkplugValue.Double(3)) { Quality = SparkplugQuality.Good },
        ]);

        var decoded = SparkplugPayloadCodec.Decode(SparkplugPayloadCodec.Encode(payload));

        SparkplugValues.AssertEqual(payload, decoded);
        var wire = Payload.Parser.ParseFrom(SparkplugPayloadCodec.Encode(payload));
        Assert.Equal((uint)SparkplugDataType.Int32, wire.Metrics[0].Properties.Values[0].Type);
        Assert.Equal(500u, wire.Metrics[0].Properties.Values[0].IntValue);
    }

    [Fact]
    public void Small_signed_integers_are_sign_extended_on_the_wire_and_read_in_both_conventions()
    {
        var wire = Payload.Parser.ParseFrom(SparkplugPayloadCodec.Encode(new SparkplugPayload(1, 0, [SparkplugMetric.Named("x", SparkplugValue.Int8(-1))])));
        Assert.Equal(0xFFFFFFFFu, wire.Metrics[0].IntValue);

        Assert.Equal(SparkplugValue.Int8(-1), DecodeOne(new Payload.Types.Metric { Name = "x", Datatype = 1, IntValue = 0xFF }).Value);
        Assert.Equal(SparkplugValue.Int16(-2), DecodeOne(new Payload.Types.Metric { Name = "x", Datatype = 2, IntValue = 0xFFFE }).Value);
        Assert.Equal(SparkplugValue.Int8(-128), DecodeOne(new Payload.Types.Metric { Name = "x", Datatype = 1, LongValue = ulong.MaxValue - 127 }).Value);
    }

    [Fact]
    public void UInt32_is_written_to_long_value_like_tahu_and_read_from_either_field()
    {
        var wire = Payload.Parser.ParseFrom(SparkplugPayloadCodec.Encode(new SparkplugPayload(1, 0, [SparkplugMetric.Named("x", SparkplugValue.UInt32(4_000_000_000))])));
        Assert.Equal(4_000_000_000ul, wire.Metrics[0].LongValue);

        Assert.Equal(SparkplugValue.UInt32(4_000_000_000), DecodeOne(new Payload.Types.Metric { Name = "x", Datatype = 7, IntValue = 4_000_000_000 }).Value);
    }

    [Fact]
    public void Data_metrics_without_datatype_keep_the_raw_value_until_the_birth_types_it()
    {
        var metric = DecodeOne(new Payload.Types.Metric { Alias = 5, IntValue = 0xFFFFFFF6 });

        Assert.Equal(SparkplugDataType.Unknown, metric.DataType);
        Assert.Equal(SparkplugValue.Int32(-10), metric.Value.WithDataType(SparkplugDataType.Int32));
        Assert.Equal(SparkplugValue.UInt32(0xFFFFFFF6), metric.Value.WithDataType(SparkplugDataType.UInt32));
        Assert.Equal(SparkplugValue.Int8(-10), metric.Value.WithDataType(SparkplugDataType.Int8));
        var e = Assert.Throws<SparkplugProtocolException>(() => metric.Value.WithDataType(SparkplugDataType.UInt8));
        Assert.Equal(SparkplugErrorReason.ValueMismatch, e.Reason);
        Assert.Throws<SparkplugProtocolException>(() => metric.Value.WithDataType(SparkplugDataType.String));
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x05, 0x01 }, SparkplugErrorReason.MalformedPayload)] // metric field truncated
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, SparkplugErrorReason.MalformedPayload)]
    [InlineData(new byte[] { 0x18, 0x80, 0x02 }, SparkplugErrorReason.InvalidField)] // seq 256
    [InlineData(new byte[] { 0x12, 0x04, 0x20, 0x63, 0x50, 0x01 }, SparkplugErrorReason.UnknownDataType)] // datatype 99
    [InlineData(new byte[] { 0x12, 0x04, 0x20, 0x00, 0x50, 0x01 }, SparkplugErrorReason.UnknownDataType)] // datatype 0 written out
    [InlineData(new byte[] { 0x12, 0x04, 0x20, 0x05, 0x50, 0x80, 0x02 }, SparkplugErrorReason.MalformedPayload)] // varint cut short
    [InlineData(new byte[] { 0x12, 0x05, 0x20, 0x05, 0x50, 0x80, 0x02 }, SparkplugErrorReason.ValueMismatch)] // UInt8 = 256
    [InlineData(new byte[] { 0x12, 0x04, 0x20, 0x0C, 0x50, 0x01 }, SparkplugErrorReason.ValueMismatch)] // String in int_value
    [InlineData(new byte[] { 0x12, 0x04, 0x20, 0x10, 0x8A, 0x01, 0x00 }, SparkplugErrorReason.MalformedPayload)] // DataSet field cut short
    public void Malformed_payloads_raise_a_protocol_exception_with_the_reason(byte[] payload, SparkplugErrorReason reason)
    {
        var e = Assert.Throws<SparkplugProtocolException>(() => SparkplugPayloadCodec.Decode(payload));

        Assert.Equal(reason, e.Reason);
    }

    [Fact]
    public void DataSet_and_Template_metrics_are_refused_as_unsupported()
    {
        var dataSet = new Payload.Types.Metric { Name = "ds", Datatype = 16, DatasetValue = new Payload.Types.DataSet { NumOfColumns = 0 } };
        var template = new Payload.Types.Metric { Name = "t", Datatype = 19, TemplateValue = new Payload.Types.Template { IsDefinition = true } };

        Assert.Equal(SparkplugErrorReason.UnsupportedDataType, Assert.Throws<SparkplugProtocolException>(() => DecodeOne(dataSet)).Reason);
        Assert.Equal(SparkplugErrorReason.UnsupportedDataType, Assert.Throws<SparkplugProtocolException>(() => DecodeOne(template)).Reason);
        Assert.Contains("ds", Assert.Throws<SparkplugProtocolException>(() => DecodeOne(dataSet)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_are_checked_before_decoding()
    {
        var payload = SparkplugPayloadCodec.Encode(new SparkplugPayload(1, 0, Enumerable.Range(0, 10).Select(i => SparkplugMetric.Named(new string('n', 50), SparkplugValue.Int32(i))).ToArray()));

        Assert.Equal(SparkplugErrorReason.LimitExceeded, Assert.Throws<SparkplugProtocolException>(() => SparkplugPayloadCodec.Decode(payload, new SparkplugLimits { MaxPayloadBytes = 100 })).Reason);
        Assert.Equal(SparkplugErrorReason.LimitExceeded, Assert.Throws<SparkplugProtocolException>(() => SparkplugPayloadCodec.Decode(payload, new SparkplugLimits { MaxMetrics = 9 })).Reason);
        Assert.Equal(SparkplugErrorReason.LimitExceeded, Assert.Throws<SparkplugProtocolException>(() => SparkplugPayloadCodec.Decode(payload, new SparkplugLimits { MaxNameLength = 49 })).Reason);
    }

    [Fact]
    public void Invalid_quality_codes_and_unbalanced_property_sets_are_refused()
    {
        var metric = new Payload.Types.Metric { Name = "q", Datatype = 10, DoubleValue = 1, Properties = new Payload.Types.PropertySet() };
        metric.Properties.Keys.Add("Quality");
        metric.Properties.Values.Add(new Payload.Types.PropertyValue { Type = 3, IntValue = 7 });
        Assert.Equal(SparkplugErrorReason.InvalidField, Assert.Throws<SparkplugProtocolException>(() => DecodeOne(metric)).Reason);

        metric.Properties.Keys.Add("Engineering Units");
        Assert.Contains("2 keys but 1 values", Assert.Throws<SparkplugProtocolException>(() => DecodeOne(metric)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_values_map_by_datatype()
    {
        Assert.True(SparkplugValue.UInt64(ulong.MaxValue).TryToSampleValue(out var big));
        Assert.Equal(SampleValue.FromDouble(ulong.MaxValue), big);
        Assert.True(SparkplugValue.Int8(-3).TryToSampleValue(out var small));
        Assert.Equal(SampleValue.FromLong(-3), small);
        Assert.True(SparkplugValue.Float(1.5f).TryToSampleValue(out var single));
        Assert.Equal(SampleValue.FromDouble(1.5), single);
        Assert.True(SparkplugValue.DateTime(5).TryToSampleValue(out var time));
        Assert.Equal(SampleValue.FromLong(5), time);
        Assert.True(SparkplugValue.Text("t").TryToSampleValue(out var text));
        Assert.Equal(SampleValue.FromString("t"), text);
        Assert.False(SparkplugValue.Bytes([1]).TryToSampleValue(out _));
        Assert.False(SparkplugValue.Null(SparkplugDataType.Int32).TryToSampleValue(out _));

        Assert.Equal(SparkplugValue.UInt8(200), SparkplugValue.FromSampleValue(SparkplugDataType.UInt8, SampleValue.FromDouble(200)));
        Assert.Throws<ArgumentException>(() => SparkplugValue.FromSampleValue(SparkplugDataType.UInt8, SampleValue.FromLong(256)));
        Assert.Throws<ArgumentException>(() => SparkplugValue.FromSampleValue(SparkplugDataType.Int32, SampleValue.FromDouble(1.5)));
        Assert.Throws<ArgumentException>(() => SparkplugValue.FromSampleValue(SparkplugDataType.Boolean, SampleValue.FromString("yes")));
    }

    private static SparkplugMetric DecodeOne(Payload.Types.Metric metric)
    {
        var payload = new Payload { Timestamp = 1, Seq = 0 };
        payload.Metrics.Add(metric);
        return SparkplugPayloadCodec.Decode(payload.ToByteArray()).Metrics[0];
    }
}
