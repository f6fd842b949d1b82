using Fabrica.Protocols.Sparkplug;

namespace Fabrica.Protocols.Tests.Sparkplug;

public sealed class SparkplugTopicTests
{
    [Theory]
    [InlineData("spBv1.0/Plant1/NBIRTH/Edge1", SparkplugMessageType.NBIRTH, "Plant1", "Edge1", null)]
    [InlineData("spBv1.0/Plant1/NDEATH/Edge1", SparkplugMessageType.NDEATH, "Plant1", "Edge1", null)]
    [InlineData("spBv1.0/Plant1/NDATA/Edge1", SparkplugMessageType.NDATA, "Plant1", "Edge1", null)]
    [InlineData("spBv1.0/Plant1/NCMD/Edge1", SparkplugMessageType.NCMD, "Plant1", "Edge1", null)]
    [InlineData("spBv1.0/Plant1/DBIRTH/Edge1/Press 7", SparkplugMessageType.DBIRTH, "Plant1", "Edge1", "Press 7")]
    [InlineData("spBv1.0/Plant1/DDEATH/Edge1/Press7", SparkplugMessageType.DDEATH, "Plant1", "Edge1", "Press7")]
    [InlineData("spBv1.0/Plant1/DDATA/Edge1/Press7", SparkplugMessageType.DDATA, "Plant1", "Edge1", "Press7")]
    [InlineData("spBv1.0/Plant1/DCMD/Edge1/Press7", SparkplugMessageType.DCMD, "Plant1", "Edge1", "Press7")]
    [InlineData("spBv1.0/工厂/DDATA/网关/泵", SparkplugMessageType.DDATA, "工厂", "网关", "泵")]
    public void Parse_reads_every_message_type_and_formats_back_to_the_same_text(string text, SparkplugMessageType type, string group, string edge, string? device)
    {
        var topic = SparkplugTopic.Parse(text);

        Assert.Equal(type, topic.MessageType);
        Assert.Equal(group, topic.GroupId);
        Assert.Equal(edge, topic.EdgeNodeId);
        Assert.Equal(device, topic.DeviceId);
        Assert.Equal(text, topic.ToString());
        var built = device is null ? SparkplugTopic.ForNode(group, type, edge) : SparkplugTopic.ForDevice(group, type, edge, device);
        Assert.Equal(text, built.ToString());
    }

    [Fact]
    public void State_topics_carry_the_host_id_and_no_group()
    {
        var topic = SparkplugTopic.Parse("spBv1.0/STATE/scada-1");

        Assert.True(topic.IsState);
        Assert.Equal("scada-1", topic.HostId);
        Assert.Null(topic.GroupId);
        Assert.Equal("spBv1.0/STATE/scada-1", SparkplugTopic.ForState("scada-1").ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("spAv1.0/G/NBIRTH/E", "namespace")]
    [InlineData("spBv1.0/G/NBIRTH", "needs")]
    [InlineData("spBv1.0/G/NBIRTH/E/D", "names no device")]
    [InlineData("spBv1.0/G/DDATA/E", "names a device")]
    [InlineData("spBv1.0/G/DDATA/E/D/extra", "more than 5 levels")]
    [InlineData("spBv1.0/G/nbirth/E", "not a Sparkplug message type")]
    [InlineData("spBv1.0/G/1/E", "not a Sparkplug message type")]
    [InlineData("spBv1.0/G/STATE/E", "STATE topic")]
    [InlineData("spBv1.0/STATE/a/b", "STATE topic")]
    [InlineData("spBv1.0//NBIRTH/E", "group_id is empty")]
    [InlineData("spBv1.0/G/NBIRTH/", "edge_node_id is empty")]
    [InlineData("spBv1.0/G+/NBIRTH/E", "reserved character '+'")]
    [InlineData("spBv1.0/G/DDATA/E/#", "reserved character '#'")]
    public void Parse_refuses_topics_outside_the_namespace_with_a_reason(string text, string reason)
    {
        var e = Assert.Throws<SparkplugProtocolException>(() => SparkplugTopic.Parse(text));

        Assert.Equal(SparkplugErrorReason.InvalidTopic, e.Reason);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.False(SparkplugTopic.TryParse(text, out _, out var error));
        Assert.Equal(e.Message, error);
    }

    [Fact]
    public void Parse_refuses_elements_that_are_not_valid_utf8()
    {
        var e = Assert.Throws<SparkplugProtocolException>(() => SparkplugTopic.Parse("spBv1.0/G/NDATA/E\ud800"));

        Assert.Contains("lone surrogate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Builders_refuse_reserved_characters_and_wrong_message_types()
    {
        Assert.Throws<ArgumentException>(() => SparkplugTopic.ForNode("G/1", SparkplugMessageType.NDATA, "E"));
        Assert.Throws<ArgumentException>(() => SparkplugTopic.ForNode("G", SparkplugMessageType.DDATA, "E"));
        Assert.Throws<ArgumentException>(() => SparkplugTopic.ForDevice("G", SparkplugMessageType.NDATA, "E", "D"));
    }
}
