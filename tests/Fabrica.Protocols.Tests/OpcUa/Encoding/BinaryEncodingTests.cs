using CsCheck;
using Fabrica.Protocols.OpcUa;

namespace Fabrica.Protocols.Tests.OpcUa.Encoding;

public sealed class BinaryEncodingTests
{
    private static T RoundTrip<T>(T value, Action<OpcUaBinaryWriter, T> write, ElementReader<T> read)
    {
        using var writer = new OpcUaBinaryWriter(16);
        write(writer, value);
        var reader = new OpcUaBinaryReader(writer.WrittenSpan);
        var decoded = read(ref reader);
        Assert.Equal(0, reader.Remaining);
        return decoded;
    }

    [Fact]
    public void Variants_of_every_built_in_type_array_and_matrix_round_trip() =>
        OpcUaGenerators.Variant(3).Sample(v => Assert.Equal(v, RoundTrip(v, (w, x) => w.WriteVariant(x), (ref OpcUaBinaryReader r) => r.ReadVariant())), iter: 5000);

    [Fact]
    public void Data_values_with_any_mask_round_trip() =>
        OpcUaGenerators.DataValue(2).Sample(v => Assert.Equal(v, RoundTrip(v, (w, x) => w.WriteDataValue(x), (ref OpcUaBinaryReader r) => r.ReadDataValue())), iter: 2000);

    [Fact]
    public void Node_ids_in_every_encoding_round_trip_and_keep_their_text_form() =>
        OpcUaGenerators.NodeId.Sample(n =>
        {
            Assert.Equal(n, RoundTrip(n, (w, x) => w.WriteNodeId(x), (ref OpcUaBinaryReader r) => r.ReadNodeId()));
            Assert.Equal(n, NodeId.Parse(n.ToString()));
        }, iter: 2000);

    [Fact]
    public void Expanded_node_ids_and_diagnostic_infos_round_trip()
    {
        OpcUaGenerators.ExpandedNodeId.Sample(n => Assert.Equal(n, RoundTrip(n, (w, x) => w.WriteExpandedNodeId(x), (ref OpcUaBinaryReader r) => r.ReadExpandedNodeId())), iter: 1000);
        OpcUaGenerators.DiagnosticInfo(4).Sample(d => Assert.Equal(d, RoundTrip(d, (w, x) => w.WriteDiagnosticInfo(x), (ref OpcUaBinaryReader r) => r.ReadDiagnosticInfo())), iter: 1000);
    }

    [Theory]
    [InlineData("i=85", new byte[] { 0x00, 85 })]
    [InlineData("ns=1;i=1025", new byte[] { 0x01, 1, 0x01, 0x04 })]
    [InlineData("ns=300;i=5", new byte[] { 0x02, 0x2C, 0x01, 5, 0, 0, 0 })]
    [InlineData("ns=1;s=Hi", new byte[] { 0x03, 1, 0, 2, 0, 0, 0, (byte)'H', (byte)'i' })]
    public void Node_ids_use_the_most_compact_encoding_of_the_specification(string text, byte[] expected)
    {
        using var writer = new OpcUaBinaryWriter();
        writer.WriteNodeId(NodeId.Parse(text));
        Assert.Equal(expected, writer.ToArray());
    }

    [Fact]
    public void Date_times_map_the_specifications_null_and_maximum_both_ways()
    {
        Assert.Equal(DateTime.MinValue, OpcUaDateTime.FromWire(0));
        Assert.Equal(DateTime.MinValue, OpcUaDateTime.FromWire(-5));
        Assert.Equal(DateTime.MaxValue, OpcUaDateTime.FromWire(long.MaxValue));
        Assert.Equal(0, OpcUaDateTime.ToWire(DateTime.MinValue));
        Assert.Equal(long.MaxValue, OpcUaDateTime.ToWire(DateTime.MaxValue));
        Assert.Equal(new DateTime(1601, 1, 1, 0, 0, 1, DateTimeKind.Utc), OpcUaDateTime.FromWire(10_000_000));
    }

    [Fact]
    public void Guids_are_encoded_with_little_endian_data1_to_data3()
    {
        using var writer = new OpcUaBinaryWriter();
        writer.WriteGuid(Guid.Parse("72962B91-FA75-4AE6-8D28-B404DC7DAF63"));
        Assert.Equal(new byte[] { 0x91, 0x2B, 0x96, 0x72, 0x75, 0xFA, 0xE6, 0x4A, 0x8D, 0x28, 0xB4, 0x04, 0xDC, 0x7D, 0xAF, 0x63 }, writer.ToArray());
    }

    [Fact]
    public void Status_codes_map_to_quality_by_their_top_two_bits()
    {
        Assert.Equal(Quality.Good, new StatusCode(0x0000_1234).ToQuality());
        Assert.Equal(Quality.Uncertain, new StatusCode(0x4092_0000).ToQuality());
        Assert.Equal(Quality.Bad, new StatusCode(0x8034_0000).ToQuality());
        Assert.Equal(Quality.Bad, new StatusCode(0xC000_0000).ToQuality());
    }
}

public sealed class PublishResponseDecodingTests
{
    [Fact]
    public void A_publish_response_decodes_to_its_data_changes_in_order()
    {
        var bytes = PublishResponses.Encode(notifications: 50);
        var reader = new OpcUaBinaryReader(bytes);
        Assert.Equal(new NodeId(829), reader.ReadNodeId());

        var response = Fabrica.Protocols.OpcUa.Services.PublishResponse.Decode(ref reader, Fabrica.Protocols.OpcUa.Services.ResponseHeader.Decode(ref reader));

        Assert.Equal(42u, response.SubscriptionId);
        Assert.Equal(5u, response.NotificationMessage.SequenceNumber);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (uint)i), response.NotificationMessage.DataChanges.Select(d => d.ClientHandle));
        Assert.Equal(24.5, response.NotificationMessage.DataChanges[49].Value.Value.ToDouble());
        Assert.Equal(0, reader.Remaining);
    }
}
