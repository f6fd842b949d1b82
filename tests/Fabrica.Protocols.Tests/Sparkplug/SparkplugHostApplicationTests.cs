using Fabrica.Protocols.Sparkplug;
using Microsoft.Extensions.Time.Testing;

namespace Fabrica.Protocols.Tests.Sparkplug;

public sealed class SparkplugHostApplicationTests
{
    private const string NodeDevice = "Plant1.Edge1";
    private const string PressDevice = "Plant1.Edge1.Press7";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    [Fact]
    public void Births_bring_the_node_and_device_online_and_store_their_current_values_under_fabrica_names()
    {
        var (edge, host) = Connected(out var updates);

        var nodeBirth = updates[0];
        var online = Assert.Single(nodeBirth.Events);
        Assert.Equal(SparkplugHostEventKind.EdgeNodeOnline, online.Kind);
        Assert.Equal(NodeDevice, online.DeviceId);
        var temperature = Assert.Single(nodeBirth.Samples); // bdSeq and Node Control/Rebirth are not telemetry
        Assert.Equal(new SeriesKey(NodeDevice, "Temperature"), temperature.Series);
        Assert.Equal(new Sample(1_700_000_000_000, 21.5), temperature.Sample);

        var deviceBirth = updates[1];
        var device = Assert.Single(deviceBirth.Events);
        Assert.Equal(SparkplugHostEventKind.DeviceOnline, device.Kind);
        Assert.Equal(PressDevice, device.DeviceId);
        Assert.Equal(["Speed", "Running", "Inputs.Mode"], device.Tags);
        Assert.Equal(SampleValue.FromString("auto"), deviceBirth.Samples.Single(s => s.Series.Tag == "Inputs.Mode").Sample.Value);
        Assert.True(host.IsEdgeNodeOnline("Plant1", "Edge1"));
        Assert.True(host.IsDeviceOnline(PressDevice));
        Assert.Null(nodeBirth.RebirthRequest);
    }

    [Fact]
    public void Aliased_data_maps_to_tags_with_quality_and_the_metric_timestamp()
    {
        var (edge, host) = Connected(out _);
        _time.Advance(TimeSpan.FromSeconds(1));

        var update = Deliver(host, edge.DeviceData("Press7",
        [
            new SparkplugMetricUpdate("Speed", SparkplugValue.Int32(1500), Timestamp: 1_699_999_999_000),
            new SparkplugMetricUpdate("Running", SparkplugValue.Boolean(true), Quality: SparkplugQuality.Stale),
        ]));

        Assert.Equal(
        [
            new SeriesSample(new SeriesKey(PressDevice, "Speed"), new Sample(1_699_999_999_000, 1500L)),
            new SeriesSample(new SeriesKey(PressDevice, "Running"), new Sample(1_700_000_001_000, true, Quality.Uncertain)),
        ], update.Samples);
    }

    [Fact]
    public void Seq_wraps_at_255_without_a_gap_across_a_thousand_messages()
    {
        var (edge, host) = Connected(out _);

        for (var i = 0; i < 1000; i++)
        {
            var update = Deliver(host, edge.DeviceData("Press7", [new SparkplugMetricUpdate("Speed", SparkplugValue.Int32(i))]));
            Assert.Null(update.RebirthRequest);
            Assert.Equal(i, Assert.Single(update.Samples).Sample.Value.AsLong());
        }

        Assert.Equal(0, host.Statistics.SequenceGaps);
        Assert.Equal(0, host.Statistics.RebirthRequests);
    }

    [Fact]
    public void A_seq_gap_requests_one_rebirth_and_the_request_is_rate_limited_until_the_interval_passes()
    {
        var (edge, host) = Connected(out _);
        edge.DeviceData("Press7", []); // lost on the way

        var gap = Deliver(host, edge.DeviceData("Press7", [new SparkplugMetricUpdate("Speed", SparkplugValue.Int32(1))]));
        edge.DeviceData("Press7", []);
        var secondGap = Deliver(host, edge.DeviceData("Press7", []));
        _time.Advance(TimeSpan.FromSeconds(5));
        edge.DeviceData("Press7", []);
        var thirdGap = Deliver(host, edge.DeviceData("Press7", []));

        Assert.Single(gap.Samples); // the data is stored all the same
        var request = Assert.IsType<SparkplugMessage>(gap.RebirthRequest);
        Assert.Equal("spBv1.0/Plant1/NCMD/Edge1", request.TopicName);
        Assert.Null(secondGap.RebirthRequest);
        Assert.NotNull(thirdGap.RebirthRequest);
        Assert.Equal(3, host.Statistics.SequenceGaps);
        Assert.Equal(2, host.Statistics.RebirthRequests);

        var command = edge.HandleCommand(request.TopicName, request.Payload);
        Assert.True(command.RebirthRequested);
        foreach (var birth in command.Births)
            Assert.Null(Deliver(host, birth).RebirthRequest);
        Assert.Null(Deliver(host, edge.DeviceData("Press7", [])).RebirthRequest);
    }

    [Fact]
    public void With_a_reorder_timeout_a_late_message_closes_the_gap_and_a_missing_one_triggers_a_rebirth_when_it_expires()
    {
        var (edge, host) = Connected(out _, new SparkplugHostOptions { ReorderTimeout = TimeSpan.FromSeconds(2) });
        var late = edge.DeviceData("Press7", []);
        Assert.Null(Deliver(host, edge.DeviceData("Press7", [])).RebirthRequest);
        Assert.Null(Deliver(host, late).RebirthRequest);
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Empty(host.CheckReorderTimeouts());

        edge.DeviceData("Press7", []); // never arrives
        Assert.Null(Deliver(host, edge.DeviceData("Press7", [])).RebirthRequest);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(host.CheckReorderTimeouts());
        _time.Advance(TimeSpan.FromSeconds(1));

        var request = Assert.Single(host.CheckReorderTimeouts());
        Assert.Equal("spBv1.0/Plant1/NCMD/Edge1", request.TopicName);
        Assert.Equal(1, host.Statistics.OutOfOrder);
        Assert.Equal(2, host.Statistics.SequenceGaps);
    }

    [Fact]
    public void Data_before_any_birth_is_dropped_counted_and_answered_with_a_rebirth_request()
    {
        var edge = NewEdge();
        edge.CreateWill();
        var births = edge.CreateBirths();
        var data = edge.DeviceData("Press7", [new SparkplugMetricUpdate("Speed", SparkplugValue.Int32(1))]);
        var host = new SparkplugHostApplication(timeProvider: _time);

        var update = Deliver(host, data);

        Assert.Empty(update.Samples);
        var request = Assert.IsType<SparkplugMessage>(update.RebirthRequest);
        var payload = SparkplugPayloadCodec.Decode(request.Payload);
        Assert.Equal(SparkplugValue.Boolean(true), payload.Metrics.Single(m => m.Name == "Node Control/Rebirth").Value);
        Assert.Equal(1, host.Statistics.DataBeforeBirth);
        Assert.Equal(1, host.Statistics.RebirthRequests);
        Assert.Null(Deliver(host, births[1]).RebirthRequest); // a DBIRTH without NBIRTH: still rate-limited
        Assert.Equal(2, host.Statistics.DataBeforeBirth);
    }

    [Fact]
    public void An_ndeath_with_the_session_bdseq_takes_node_and_devices_offline_and_an_old_will_is_ignored()
    {
        var edge = NewEdge();
        var oldWill = edge.CreateWill();
        var host = new SparkplugHostApplication(timeProvider: _time);
        foreach (var birth in edge.CreateBirths())
            Deliver(host, birth);
        var newWill = edge.CreateWill(); // reconnect: bdSeq 1
        foreach (var birth in edge.CreateBirths())
            Deliver(host, birth);

        var stale = Deliver(host, oldWill);
        Assert.Empty(stale.Events);
        Assert.Equal(1, host.Statistics.StaleDeaths);
        Assert.True(host.IsDeviceOnline(PressDevice));

        _time.Advance(TimeSpan.FromSeconds(10));
        var death = Deliver(host, newWill);

        Assert.Equal([SparkplugHostEventKind.DeviceOffline, SparkplugHostEventKind.EdgeNodeOffline], death.Events.Select(e => e.Kind));
        Assert.All(death.Events, e => Assert.Equal(1_700_000_010_000, e.Timestamp)); // time of receipt, not the Will's
        Assert.False(host.IsEdgeNodeOnline("Plant1", "Edge1"));
        Assert.False(host.IsDeviceOnline(PressDevice));
        Assert.NotNull(Deliver(host, edge.DeviceData("Press7", [])).RebirthRequest); // data after death: not born
    }

    [Fact]
    public void A_ddeath_takes_only_that_device_offline_until_its_next_dbirth()
    {
        var (edge, host) = Connected(out _);

        var death = Deliver(host, edge.DeviceDeath("Press7"));

        Assert.Equal(SparkplugHostEventKind.DeviceOffline, Assert.Single(death.Events).Kind);
        Assert.False(host.IsDeviceOnline(PressDevice));
        Assert.True(host.IsDeviceOnline(NodeDevice));
        var born = Deliver(host, edge.DeviceBirth("Press7"));
        Assert.Equal(SparkplugHostEventKind.DeviceOnline, Assert.Single(born.Events).Kind);
        Assert.True(host.IsDeviceOnline(PressDevice));
    }

    [Fact]
    public void An_alias_the_birth_did_not_declare_is_a_protocol_error_and_stores_nothing()
    {
        var (_, host) = Connected(out _);
        var topic = SparkplugTopic.ForDevice("Plant1", SparkplugMessageType.DDATA, "Edge1", "Press7");
        var payload = SparkplugPayloadCodec.Encode(new SparkplugPayload(1, 2,
        [
            new SparkplugMetric(null, 2, 1, SparkplugValue.Int32(5)),
            new SparkplugMetric(null, 77, 1, SparkplugValue.Int32(5)),
        ]));

        var e = Assert.Throws<SparkplugProtocolException>(() => host.Receive(topic.ToString(), payload));

        Assert.Equal(SparkplugErrorReason.UnknownMetric, e.Reason);
        Assert.Contains("alias 77", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, host.Statistics.Samples); // only the births' samples
        Assert.NotNull(host.RequestRebirth("Plant1", "Edge1"));
    }

    [Fact]
    public void Births_with_duplicate_aliases_or_without_bdseq_are_refused()
    {
        var host = new SparkplugHostApplication(timeProvider: _time);
        var nbirth = SparkplugTopic.ForNode("Plant1", SparkplugMessageType.NBIRTH, "Edge1").ToString();
        var duplicate = SparkplugPayloadCodec.Encode(new SparkplugPayload(1, 0,
        [
            SparkplugMetric.Named("bdSeq", SparkplugValue.Int64(0)),
            new SparkplugMetric("a", 1, 1, SparkplugValue.Int32(1)),
            new SparkplugMetric("b", 1, 1, SparkplugValue.Int32(1)),
        ]));
        var noBdSeq = SparkplugPayloadCodec.Encode(new SparkplugPayload(1, 0, [new SparkplugMetric("a", 1, 1, SparkplugValue.Int32(1))]));

        Assert.Equal(SparkplugErrorReason.DuplicateMetric, Assert.Throws<SparkplugProtocolException>(() => host.Receive(nbirth, duplicate)).Reason);
        Assert.Equal(SparkplugErrorReason.MissingField, Assert.Throws<SparkplugProtocolException>(() => host.Receive(nbirth, noBdSeq)).Reason);
        Assert.False(host.IsEdgeNodeOnline("Plant1", "Edge1"));
    }

    [Fact]
    public void Writes_from_the_platform_become_dcmd_by_alias_with_the_birth_datatype_and_reach_the_device_adapter()
    {
        var (edge, host) = Connected(out _);

        Assert.True(host.TryCreateWrite(PressDevice, "Speed", SampleValue.FromDouble(1800), out var command, out var error), error);
        Assert.False(host.TryCreateWrite(PressDevice, "Nope", SampleValue.FromLong(1), out _, out var unknown));
        Assert.False(host.TryCreateWrite(PressDevice, "Running", SampleValue.FromString("maybe"), out _, out var unfit));
        Assert.True(host.TryCreateWrite(NodeDevice, "Temperature", SampleValue.FromLong(25), out var nodeCommand, out _));

        Assert.Equal("spBv1.0/Plant1/DCMD/Edge1/Press7", command.TopicName);
        var metric = Assert.Single(SparkplugPayloadCodec.Decode(command.Payload).Metrics);
        Assert.Null(metric.Name);
        Assert.Equal(SparkplugValue.Int32(1800), metric.Value);
        Assert.Contains("Nope", unknown, StringComparison.Ordinal);
        Assert.NotNull(unfit);
        Assert.Equal(new SparkplugWrite("Press7", "Speed", SparkplugValue.Int32(1800)), Assert.Single(edge.HandleCommand(command.TopicName, command.Payload).Writes));
        Assert.Equal(new SparkplugWrite(null, "Temperature", SparkplugValue.Double(25)), Assert.Single(edge.HandleCommand(nodeCommand.TopicName, nodeCommand.Payload).Writes));
    }

    [Fact]
    public void State_messages_and_other_hosts_commands_are_ignored()
    {
        var host = new SparkplugHostApplication(timeProvider: _time);

        Assert.Same(SparkplugHostUpdate.Empty, host.Receive("spBv1.0/STATE/scada", "{\"online\":true,\"timestamp\":1}"u8));
        Assert.Same(SparkplugHostUpdate.Empty, host.Receive("spBv1.0/Plant1/NCMD/Edge1", [0xFF]));
        Assert.Equal(2, host.Statistics.Ignored);
    }

    private (SparkplugEdgeNode Edge, SparkplugHostApplication Host) Connected(out List<SparkplugHostUpdate> updates, SparkplugHostOptions? options = null)
    {
        var edge = NewEdge();
        var host = new SparkplugHostApplication(options, _time);
        edge.CreateWill();
        updates = edge.CreateBirths().Select(b => Deliver(host, b)).ToList();
        return (edge, host);
    }

    private static SparkplugHostUpdate Deliver(SparkplugHostApplication host, SparkplugMessage message) => host.Receive(message.TopicName, message.Payload);

    private SparkplugEdgeNode NewEdge()
    {
        var edge = new SparkplugEdgeNode("Plant1", "Edge1", _time);
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
