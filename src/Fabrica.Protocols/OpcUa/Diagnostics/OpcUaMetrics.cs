using System.Diagnostics.Metrics;

namespace Fabrica.Protocols.OpcUa.Diagnostics;

/// <summary>
/// Instruments of the meter "Fabrica.OpcUa" (exported for Prometheus by the host). Every measurement carries the
/// endpoint URL as tag <c>opcua.endpoint</c>.
/// </summary>
public static class OpcUaMetrics
{
    public const string MeterName = "Fabrica.OpcUa";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Connections re-established after a drop (a new secure channel, the session re-activated or re-created).</summary>
    internal static readonly Counter<long> Reconnects = Meter.CreateCounter<long>("fabrica.opcua.reconnects", "{reconnect}", "Connections re-established after a drop");

    /// <summary>Notification messages fetched again with Republish to fill a gap.</summary>
    internal static readonly Counter<long> Republishes = Meter.CreateCounter<long>("fabrica.opcua.republishes", "{message}", "Notification messages fetched again with Republish");

    /// <summary>Value changes delivered to subscribers.</summary>
    internal static readonly Counter<long> Notifications = Meter.CreateCounter<long>("fabrica.opcua.notifications", "{notification}", "Value changes delivered to subscribers");

    /// <summary>Publish requests waiting at the server.</summary>
    internal static readonly UpDownCounter<long> PublishRequestsOutstanding = Meter.CreateUpDownCounter<long>("fabrica.opcua.publish_requests.outstanding", "{request}", "Publish requests waiting at the server");

    internal static KeyValuePair<string, object?> EndpointTag(string endpointUrl) => new("opcua.endpoint", endpointUrl);
}
