using System.Diagnostics.Metrics;

namespace Fabrica.Server.Mqtt;

/// <summary>Broker-side counters (Meter "Fabrica.Mqtt"): connections accepted and refused, publishes and subscriptions denied.</summary>
internal sealed class MqttMetrics
{
    public const string MeterName = "Fabrica.Mqtt";
    private readonly Counter<long> _connections;
    private readonly Counter<long> _denied;

    public MqttMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _connections = meter.CreateCounter<long>("fabrica.mqtt.connections", description: "MQTT CONNECTs by outcome");
        _denied = meter.CreateCounter<long>("fabrica.mqtt.denied", description: "MQTT publishes and subscriptions refused by the topic rules");
    }

    public void ConnectionAccepted() => _connections.Add(1, new KeyValuePair<string, object?>("outcome", "accepted"));

    public void ConnectionRefused() => _connections.Add(1, new KeyValuePair<string, object?>("outcome", "refused"));

    public void PublishDenied() => _denied.Add(1, new KeyValuePair<string, object?>("packet", "publish"));

    public void SparkplugRejected() => _denied.Add(1, new KeyValuePair<string, object?>("packet", "sparkplug_invalid"));

    public void SubscriptionDenied() => _denied.Add(1, new KeyValuePair<string, object?>("packet", "subscribe"));
}
