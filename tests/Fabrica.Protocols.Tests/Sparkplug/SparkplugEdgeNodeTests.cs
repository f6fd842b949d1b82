using Fabrica.Protocols.Sparkplug;
using Microsoft.Extensions.Time.Testing;

namespace Fabrica.Protocols.Tests.Sparkplug;

public sealed class SparkplugEdgeNodeTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    [Fact]
    public void The_will_and_the_births_carry_the_same_bdseq_and_the_birth_starts_at_seq_zero()
    {
        var edge = NewEdge(initialBdSeq: 7);

        var will = edge.CreateWill();
        var births = edge.CreateBirths();

        Assert.Equal("spBv1.0/Plant1/NDEATH/Edge1", will.TopicName);
        Assert.Equal(1, will.QualityOfService);
        Assert.False(will.Retain);
        var death = SparkplugPayloadCodec.Decode(will.Payload);
        Assert.Null(death.Seq);
        Assert.Equal(SparkplugValue.Int64(7), Assert.Single(death.Metrics).Value);

        Assert.Equal(["spBv1.0/Plant1/NBIRTH/Edge1", "spBv1.0/Plant1/DBIRTH/Edge1/Press7"], births.Select(b => b.TopicName));
        var nbirth = SparkplugPayloadCodec.Decode(births[0].Payload);
        Assert.Equal((byte)0, nbirth.Seq);
        Assert.Equal(1_700_000_000_000, nbirth.Timestamp);
        Assert.Equal(SparkplugValue.Int64(7), nbirth.Metrics.Single(m => m.Name == "bdSeq").Value);
        var rebirth = nbirth.Metrics.Single(m => m.Name == SparkplugEdgeNode.RebirthMetric);
        Assert.Equal(SparkplugValue.Boolean(false), rebirth.Value);
        Assert.Null(rebirth.Alias);
        Assert.Equal((ulong?)1, nbirth.Metrics.Single(m => m.Name == "Temperature").Alias);
        var dbirth = SparkplugPayloadCodec.Decode(births[1].Payload);
        Assert.Equal((byte)1, dbirth.Seq);
        Assert.All(dbirth.Metrics, m => Assert.NotNull(m.Alias));
        Assert.All(births, b => Assert.Equal(0, b.QualityOfService));
    }

    [Fact]
    public void Bdseq_increments_on_every_new_connection_and_wraps_after_255()
    {
        var edge = NewEdge(initialBdSeq: 254);

        var bdSeqs = Enumerable.Range(0, 4).Select(_ => SparkplugPayloadCodec.Decode(edge.CreateWill().Payload).Metrics[0].Value.AsInt64()).ToArray();

        Assert.Equal([254, 255, 0, 1], bdSeqs);
    }

    [Fact]
    public void Data_uses_aliases_only_and_seq_wraps_from_255_to_zero()
    {
        var edge = NewEdge();
        edge.CreateWill();
        edge.CreateBirths(); // seq 0 and 1

        var seqs = new List<int>();
        for (var i = 0; i < 300; i++)
        {
            var message = edge.DeviceData("Press7", [new SparkplugMetricUpdate("Speed", SparkplugValue.Int32(i))]);
            var payload = SparkplugPayloadCodec.Decode(message.Payload);
            seqs.Add(payload.Seq!.Value);
            var metric = Assert.Single(payload.Metrics);
            Assert.Null(metric.Name);
            Assert.Equal((ulong?)2, metric.Alias);
        }

        Assert.Equal(Enumerable.Range(2, 300).Select(i => i % 256), seqs);
    }

    [Fact]
    public void A_rebirth_command_yields_new_births_with_the_same_bdseq()
    {
        var edge = NewEdge(initialBdSeq: 3);
        edge.CreateWill();
        edge.CreateBirths();
        edge.NodeData([new SparkplugMetricUpdate("Temperature", SparkplugValue.Double(30.5))]);

        var rebirth = SparkplugCommands.Rebirth("Plant1", "Edge1", 1);
        var command = edge.HandleCommand(rebirth.TopicName, rebirth.Payload);

        Assert.True(command.RebirthRequested);
        Assert.Empty(command.Writes);
        var nbirth = SparkplugPayloadCodec.Decode(command.Births[0].Payload);
        Assert.Equal((byte)0, nbirth.Seq);
        Assert.Equal(3, nbirth.Metrics.Single(m => m.Name == "bdSeq").Value.AsInt64());
        Assert.Equal(SparkplugValue.Double(30.5), nbirth.Metrics.Single(m => m.Name == "Temperature").Value);
    }

    [Fact]
    public void Device_commands_become_typed_writes_resolved_by_alias_or_name()
    {
        var edge = NewEdge();
        edge.CreateWill();
        edge.CreateBirths();
        var topic = SparkplugTopic.ForDevice("Plant1", SparkplugMessageType.DCMD, "Edge1", "Press7");
        var byAlias = SparkplugCommands.Write(topic, [new SparkplugMetric(null, 2, null, SparkplugValue.Int32(1200))], 1);
        var untyped = new Org.Eclipse.Tahu.Protobuf.Payload { Timestamp = 1 };
        untyped.Metrics.Add(new Org.Eclipse.Tahu.Protobuf.Payload.Types.Metric { Name = "Running", BooleanValue = true });

        var first = edge.HandleCommand(topic.ToString(), byAlias.Payload);
        var second = edge.HandleCommand(topic.ToString(), Google.Protobuf.MessageExtensions.ToByteArray(untyped));

        Assert.Equal(new SparkplugWrite("Press7", "Speed", SparkplugValue.Int32(1200)), Assert.Single(first.Writes));
        Assert.Equal(new SparkplugWrite("Press7", "Running", SparkplugValue.Boolean(true)), Assert.Single(second.Writes));
        Assert.False(first.RebirthRequested);
    }

    [Fact]
    public void Commands_for_unknown_metrics_or_other_nodes_are_protocol_errors()
    {
        var edge = NewEdge();
        edge.CreateWill();
        edge.CreateBirths();
        var topic = SparkplugTopic.ForDevice("Plant1", SparkplugMessageType.DCMD, "Edge1", "Press7");
        var unknown = SparkplugCommands.Write(topic, [new SparkplugMetric(null, 99, null, SparkplugValue.Int32(1))], 1);
        var other = SparkplugCommands.Rebirth("Plant1", "Edge2", 1);

        Assert.Equal(SparkplugErrorReason.UnknownMetric, Assert.Throws<SparkplugProtocolException>(() => edge.HandleCommand(topic.ToString(), unknown.Payload)).Reason);
        Assert.Equal(SparkplugErrorReason.InvalidTopic, Assert.Throws<SparkplugProtocolException>(() => edge.HandleCommand(other.TopicName, other.Payload)).Reason);
        Assert.Equal(SparkplugErrorReason.MalformedPayload, Assert.Throws<SparkplugProtocolException>(() => edge.HandleCommand(topic.ToString(), [0xFF, 0xFF])).Reason);
    }

    [Fact]
    public void Nothing_is_published_offline_and_a_clean_death_matches_the_will()
    {
        var edge = NewEdge();
        Assert.Throws<InvalidOperationException>(() => edge.CreateBirths());
        var will = edge.CreateWill();
        Assert.Throws<InvalidOperationException>(() => edge.NodeData([]));
        edge.CreateBirths();
        Assert.True(edge.IsOnline);

        var death = edge.CreateDeath();

        Assert.False(edge.IsOnline);
        Assert.Equal(will.Payload, death.Payload);
        Assert.Throws<InvalidOperationException>(() => edge.DeviceData("Press7", []));
    }

    [Fact]
    public void Updates_are_checked_against_the_declared_datatype()
    {
        var edge = NewEdge();
        edge.CreateWill();
        edge.CreateBirths();

        Assert.Throws<ArgumentException>(() => edge.NodeData([new SparkplugMetricUpdate("Temperature", SparkplugValue.Float(1))]));
        Assert.Throws<ArgumentException>(() => edge.NodeData([new SparkplugMetricUpdate("Nope", SparkplugValue.Double(1))]));
        Assert.Throws<ArgumentException>(() => edge.DefineNodeMetric("bdSeq", SparkplugValue.Int64(0)));
    }

    private SparkplugEdgeNode NewEdge(byte initialBdSeq = 0)
    {
        var edge = new SparkplugEdgeNode("Plant1", "Edge1", _time, initialBdSeq);
        edge.DefineNodeMetric("Temperature", SparkplugValue.Double(21.5));
        edge.DefineDevice("Press7", new Dictionary<string, SparkplugValue>
        {
            ["Speed"] = SparkplugValue.Int32(0),
            ["Running"] = SparkplugValue.Boolean(false),
            ["Inputs/Mode"] = SparkplugValue.String("auto"),
        });
        return edge;
    }
}
