using Fabrica.Edge.Adapters.OpcUa;
using Fabrica.Protocols.OpcUa;

namespace Fabrica.Edge.Tests.Adapters.OpcUa;

/// <summary>OPC UA values as Fabrica samples and back (docs/edge.md, "OPC UA adapter": values, quality, timestamps, writes).</summary>
public sealed class OpcUaValuesTests
{
    private static readonly DateTime Source = new(2026, 11, 30, 8, 0, 0, 123, DateTimeKind.Utc);
    private static readonly DateTime Server = Source.AddMilliseconds(40).AddTicks(6_000); // 40.6 ms later: rounds to 41

    [Theory]
    [InlineData(0x00000000u, Quality.Good)]
    [InlineData(0x40900000u, Quality.Uncertain)] // UncertainLastUsableValue
    [InlineData(0x408F0000u, Quality.Uncertain)] // UncertainSubNormal
    [InlineData(0x808A0000u, Quality.Bad)]       // BadWaitingForInitialData, with a value
    public void The_quality_is_the_severity_of_the_status_code(uint status, Quality quality)
    {
        var reading = OpcUaValues.ToReading(new DataValue(Variant.From(1.5), new StatusCode(status), Source, Server), TimestampSource.Source, out var refused);

        Assert.Null(refused);
        Assert.Equal((quality, 1.5), (reading.Quality, reading.Value.AsDouble()));
    }

    [Fact]
    public void The_source_timestamp_is_used_by_default_the_server_one_on_request_and_each_falls_back_to_the_other()
    {
        var both = new DataValue(Variant.From(1), default, Source, Server);
        var serverOnly = new DataValue(Variant.From(1), default, default, Server);
        var neither = new DataValue(Variant.From(1));
        long Ms(DateTime t) => new DateTimeOffset(t).ToUnixTimeMilliseconds();

        Assert.Equal(Ms(Source), OpcUaValues.ToReading(both, TimestampSource.Source, out _).SourceTimestamp);
        Assert.Equal(Ms(Server) + 1, OpcUaValues.ToReading(both, TimestampSource.Server, out _).SourceTimestamp); // rounded, not cut
        Assert.Equal(Ms(Server) + 1, OpcUaValues.ToReading(serverOnly, TimestampSource.Source, out _).SourceTimestamp);
        Assert.Equal(Ms(Source), OpcUaValues.ToReading(new DataValue(Variant.From(1), default, Source), TimestampSource.Server, out _).SourceTimestamp);
        Assert.Null(OpcUaValues.ToReading(neither, TimestampSource.Source, out _).SourceTimestamp); // the edge stamps the arrival
    }

    [Fact]
    public void Scalars_become_samples_and_arrays_structures_and_missing_values_are_bad()
    {
        SampleValue Sample(Variant v) => OpcUaValues.TryToSample(v, out var s) ? s : throw new InvalidOperationException(v.ToString());

        Assert.Equal(SampleValue.FromBool(true), Sample(Variant.From(true)));
        Assert.Equal(SampleValue.FromLong(-12), Sample(Variant.From((sbyte)-12)));
        Assert.Equal(SampleValue.FromLong(3_123_456_789), Sample(Variant.From(3_123_456_789u)));
        Assert.Equal(SampleValue.FromLong(long.MaxValue), Sample(Variant.From((ulong)long.MaxValue)));
        Assert.Equal(SampleValue.FromDouble(ulong.MaxValue), Sample(Variant.From(ulong.MaxValue)));
        Assert.Equal(SampleValue.FromDouble(1.5), Sample(Variant.From(1.5f)));
        Assert.Equal(SampleValue.FromString("2026-11-30T08:00:00.1230000Z"), Sample(Variant.From(Source)));
        Assert.Equal(SampleValue.FromString("AAH/"), Sample(Variant.From(new byte[] { 0, 1, 255 })));
        Assert.Equal(SampleValue.FromString("Hallo"), Sample(Variant.From(new LocalizedText("de", "Hallo"))));
        Assert.Equal(SampleValue.FromString("ns=1;s=Setpoint"), Sample(Variant.From(NodeId.Parse("ns=1;s=Setpoint"))));
        Assert.Equal(SampleValue.FromLong(0x80340000), Sample(Variant.From(StatusCodes.BadNodeIdUnknown)));

        var array = OpcUaValues.ToReading(new DataValue(Variant.FromArray(BuiltInType.Double, new[] { 1.0, 2.0 })), TimestampSource.Source, out var refused);
        Assert.Equal((Quality.Bad, false), (array.Quality, array.HasValue));
        Assert.Contains("scalars only", refused, StringComparison.Ordinal);
        Assert.False(OpcUaValues.TryToSample(Variant.From(ExtensionObject.FromBinary(new NodeId(886), new byte[16])), out _));
        var empty = OpcUaValues.ToReading(new DataValue(Variant.Null, new StatusCode(0x80320000)), TimestampSource.Source, out _);
        Assert.Equal((Quality.Bad, false), (empty.Quality, empty.HasValue));
    }

    [Fact]
    public void Writes_are_encoded_as_the_nodes_type_rounding_integers_and_refusing_what_does_not_fit()
    {
        Assert.Equal(Variant.From((short)-1234), OpcUaValues.ToVariant(SampleValue.FromDouble(-1234.4), BuiltInType.Int16, "t"));
        Assert.Equal(Variant.From((byte)3), OpcUaValues.ToVariant(SampleValue.FromDouble(2.5), BuiltInType.Byte, "t"));
        Assert.Equal(Variant.From(true), OpcUaValues.ToVariant(SampleValue.FromLong(1), BuiltInType.Boolean, "t"));
        Assert.Equal(Variant.From(21.5f), OpcUaValues.ToVariant(SampleValue.FromDouble(21.5), BuiltInType.Float, "t"));
        Assert.Equal(Variant.From("42"), OpcUaValues.ToVariant(SampleValue.FromLong(42), BuiltInType.String, "t"));
        Assert.Equal(Variant.From(Source), OpcUaValues.ToVariant(SampleValue.FromString("2026-11-30T08:00:00.123Z"), BuiltInType.DateTime, "t"));
        Assert.Equal(Variant.From(Source), OpcUaValues.ToVariant(SampleValue.FromLong(new DateTimeOffset(Source).ToUnixTimeMilliseconds()), BuiltInType.DateTime, "t"));

        Assert.Contains("UInt16", Assert.Throws<ArgumentException>(() => OpcUaValues.ToVariant(SampleValue.FromLong(-1), BuiltInType.UInt16, "t")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => OpcUaValues.ToVariant(SampleValue.FromDouble(double.NaN), BuiltInType.Int32, "t"));
        Assert.Throws<ArgumentException>(() => OpcUaValues.ToVariant(SampleValue.FromString("x"), BuiltInType.Double, "t"));
        Assert.Throws<ArgumentException>(() => OpcUaValues.ToVariant(SampleValue.FromDouble(1), BuiltInType.ExtensionObject, "t"));
    }
}
