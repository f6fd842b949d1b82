using Fabrica.Protocols.Sparkplug;
using Microsoft.Extensions.Time.Testing;

namespace Fabrica.Protocols.Tests.Sparkplug;

/// <summary>
/// Store-and-forward over Sparkplug (§6.4.6 is_historical): the edge node sends buffered values with their own
/// timestamps, marked historical and without making them the metric's current value; the host returns them apart
/// from the live samples, so the platform stores them without feeding real-time rules.
/// </summary>
public sealed class SparkplugHistoricalTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    [Fact]
    public void Historical_values_travel_marked_at_their_timestamps_and_the_host_keeps_them_apart_from_live_samples()
    {
        var edge = new SparkplugEdgeNode("Plant1", "Edge1", _time);
        edge.DefineDevice("Press7", [KeyValuePair.Create("Count", SparkplugValue.Null(SparkplugDataType.Int64))]);
        var host = new SparkplugHostApplication(timeProvider: _time);
        edge.CreateWill();
        foreach (var birth in edge.CreateBirths())
            host.Receive(birth.TopicName, birth.Payload);

        var live = edge.DeviceData("Press7", [new SparkplugMetricUpdate("Count", SparkplugValue.Int64(10), 1_700_000_000_000)]);
        var backlog = edge.DeviceData("Press7", [
            new SparkplugMetricUpdate("Count", SparkplugValue.Int64(3), 1_699_999_990_000, Historical: true),
            new SparkplugMetricUpdate("Count", SparkplugValue.Int64(4), 1_699_999_990_100, Historical: true)]);

        var wire = SparkplugPayloadCodec.Decode(backlog.Payload);
        Assert.All(wire.Metrics, m => Assert.True(m.IsHistorical));
        Assert.Equal([1_699_999_990_000L, 1_699_999_990_100L], wire.Metrics.Select(m => m.Timestamp!.Value));

        var liveUpdate = host.Receive(live.TopicName, live.Payload);
        Assert.Single(liveUpdate.Samples);
        Assert.Empty(liveUpdate.Historical);
        var backlogUpdate = host.Receive(backlog.TopicName, backlog.Payload);
        Assert.Empty(backlogUpdate.Samples);
        Assert.Equal([new Sample(1_699_999_990_000, 3L), new Sample(1_699_999_990_100, 4L)], backlogUpdate.Historical.Select(s => s.Sample));
        Assert.Null(backlogUpdate.RebirthRequest); // seq ran on across live and historical messages

        // The next birth carries the newest live value, not the backlog's.
        var rebirth = edge.CreateBirths()[1];
        Assert.Equal(SparkplugValue.Int64(10), SparkplugPayloadCodec.Decode(rebirth.Payload).Metrics.Single().Value);
    }
}
