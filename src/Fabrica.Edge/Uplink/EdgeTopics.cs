namespace Fabrica.Edge.Uplink;

/// <summary>The MQTT topics of the edge contract (issue "Edge gateway", docs/edge.md).</summary>
public static class EdgeTopics
{
    /// <summary>Live samples of a device, evaluated by the platform's real-time rules.</summary>
    public static string Telemetry(string deviceId) => $"fabrica/devices/{deviceId}/telemetry";

    /// <summary>Samples sent from the buffer after an outage: stored at their original timestamps, not evaluated in real time.</summary>
    public static string Backfill(string deviceId) => $"fabrica/devices/{deviceId}/telemetry/backfill";

    /// <summary>The edge's retained status report (and its will: offline).</summary>
    public static string Status(string edgeId) => $"fabrica/edges/{edgeId}/status";

    /// <summary>Retained configuration (and rules) the platform publishes for the edge.</summary>
    public static string Config(string edgeId) => $"fabrica/edges/{edgeId}/config";
}
