using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Fabrica.Edge.Tests.Infrastructure;

/// <summary>
/// A subscriber standing in for the platform: a persistent MQTT 5 session on the telemetry, backfill and status
/// topics that records every sample it receives (topic, tag value, timestamp, quality) in arrival order.
/// </summary>
public sealed class TelemetryCollector : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Lock _lock = new();
    private readonly List<Received> _samples = [];
    private readonly List<string> _status = [];
    private readonly int _port;

    public TelemetryCollector(int port)
    {
        _port = port;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var topic = e.ApplicationMessage.Topic;
            var reader = new Utf8JsonReader(e.ApplicationMessage.Payload);
            using var json = JsonDocument.ParseValue(ref reader);
            lock (_lock)
            {
                if (topic.StartsWith("fabrica/edges/", StringComparison.Ordinal))
                {
                    _status.Add(json.RootElement.GetRawText());
                    return Task.CompletedTask;
                }
                var backfill = topic.EndsWith("/backfill", StringComparison.Ordinal);
                foreach (var element in json.RootElement.EnumerateArray())
                {
                    var ts = element.GetProperty("ts").GetInt64();
                    var quality = element.TryGetProperty("q", out var q) ? q.GetString() : "good";
                    foreach (var value in element.GetProperty("values").EnumerateObject())
                        _samples.Add(new Received(topic.Split('/')[2], value.Name, value.Value.GetInt64(), ts, quality!, backfill));
                }
            }
            return Task.CompletedTask;
        };
    }

    public sealed record Received(string Device, string Tag, long Value, long Timestamp, string Quality, bool Backfill);

    public IReadOnlyList<Received> Samples
    {
        get
        {
            lock (_lock)
                return [.. _samples];
        }
    }

    public IReadOnlyList<string> Status
    {
        get
        {
            lock (_lock)
                return [.. _status];
        }
    }

    public async Task ConnectAsync()
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("edge-test-collector")
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600)
            .Build();
        await _client.ConnectAsync(options);
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("fabrica/devices/+/telemetry", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("fabrica/devices/+/telemetry/backfill", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("fabrica/edges/+/status", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await _client.SubscribeAsync(subscribe);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
            await _client.DisconnectAsync();
        _client.Dispose();
    }
}
