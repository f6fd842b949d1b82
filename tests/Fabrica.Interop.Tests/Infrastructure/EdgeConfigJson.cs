namespace Fabrica.Interop.Tests.Infrastructure;

/// <summary>Pieces of an edge configuration (docs/edge.md) that tests running <c>fabrica edge</c> against a test platform share.</summary>
public static class EdgeConfigJson
{
    /// <summary>
    /// The identity, platform and uplink properties of an edge uplinking to the platform's MQTT broker on
    /// <paramref name="mqttPort"/>: no drain-rate limit, quick reconnects and status reports so a test need not wait,
    /// the buffer under the edge's directory. To be followed by the <c>"devices"</c> property.
    /// </summary>
    public static string UplinkToTestPlatform(string edgeId, string token, int mqttPort) => $$"""
          "id": "{{edgeId}}",
          "token": "{{token}}",
          "platform": { "host": "127.0.0.1", "port": {{mqttPort}} },
          "uplink": { "drainRate": 0, "reconnectMin": "200ms", "reconnectMax": "1s", "statusInterval": "2s" },
          "buffer": { "directory": "edge-buffer" },
        """;

    /// <summary>
    /// An edge in Sparkplug B uplink mode (group <c>plant1</c>) with one Modbus device, <c>press-1</c>, polled every
    /// 50 ms on the PLC at <paramref name="plcPort"/> (unit 1); <paramref name="tags"/> are the device's tag objects,
    /// comma-separated. Status every second, reconnects within a second, the buffer committed every 20 ms.
    /// </summary>
    public static string SparkplugEdgeOverModbus(string edgeId, string token, int mqttPort, int plcPort, string tags) => $$"""
        {
          "id": "{{edgeId}}", "token": "{{token}}",
          "platform": {"host": "127.0.0.1", "port": {{mqttPort}}},
          "uplink": {"format": "sparkplug", "sparkplugGroupId": "plant1", "statusInterval": "1s", "reconnectMin": "200ms", "reconnectMax": "1s"},
          "buffer": {"directory": "edge-buffer", "commitInterval": "20ms"},
          "devices": [{
            "id": "press-1", "adapter": "modbus", "pollPeriod": "50ms", "readTimeout": "10s",
            "settings": {"host": "127.0.0.1", "port": {{plcPort}}, "unitId": 1, "requestTimeout": "10s"},
            "tags": [
        {{tags}}
            ]
          }]
        }
        """;
}
