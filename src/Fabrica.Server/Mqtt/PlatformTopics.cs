namespace Fabrica.Server.Mqtt;

/// <summary>
/// The platform's MQTT topic tree:
/// <list type="bullet">
/// <item><c>fabrica/devices/{deviceId}/telemetry</c> — live data (device or its edge → platform);</item>
/// <item><c>fabrica/devices/{deviceId}/telemetry/backfill</c> — an edge's buffered data after an outage;</item>
/// <item><c>fabrica/devices/{deviceId}/errors</c> — why a message was dropped (platform → device);</item>
/// <item><c>fabrica/edges/{edgeId}/status</c> — the edge's state, retained (edge → platform);</item>
/// <item><c>fabrica/edges/{edgeId}/config</c> — the edge's configuration, retained (platform → edge);</item>
/// <item><c>fabrica/edges/{edgeId}/events</c> and its subtopics — events of the edge's rules (edge → platform).</item>
/// </list>
/// </summary>
internal static class PlatformTopics
{
    public const string DevicePrefix = "fabrica/devices/";
    public const string EdgePrefix = "fabrica/edges/";
    public const string Telemetry = "telemetry";
    public const string Backfill = "telemetry/backfill";
    public const string Errors = "errors";
    public const string Status = "status";
    public const string Config = "config";
    public const string Events = "events";

    /// <summary>Is <paramref name="rest"/> (the part after <c>fabrica/edges/{id}/</c>) the events topic or one of its subtopics?</summary>
    public static bool IsEvents(string rest) => rest == Events || rest.StartsWith(Events + "/", StringComparison.Ordinal);

    public const string AlarmPrefix = "fabrica/alarms/";

    /// <summary>
    /// Is <paramref name="filter"/> a subscription to alarm pushes: <c>fabrica/alarms/#</c>, <c>fabrica/alarms/+</c> or
    /// <c>fabrica/alarms/{assetId}</c> (docs/models.md, "Alarms")?
    /// </summary>
    public static bool IsAlarmFilter(string filter)
    {
        if (!filter.StartsWith(AlarmPrefix, StringComparison.Ordinal))
            return false;
        var asset = filter[AlarmPrefix.Length..];
        return asset is "#" or "+" || NamingRules.IsValidDeviceId(asset);
    }

    public static string ErrorsOf(string deviceId) => $"{DevicePrefix}{deviceId}/{Errors}";

    public static string ConfigOf(string edgeId) => $"{EdgePrefix}{edgeId}/{Config}";

    /// <summary>Splits a topic (or a subscription filter) into its owner and the rest; false outside the tree or for a wildcard owner.</summary>
    public static bool TryParse(string topic, out TopicOwner owner, out string id, out string rest)
    {
        (owner, var prefix) = topic.StartsWith(DevicePrefix, StringComparison.Ordinal) ? (TopicOwner.Device, DevicePrefix)
            : topic.StartsWith(EdgePrefix, StringComparison.Ordinal) ? (TopicOwner.Edge, EdgePrefix)
            : (TopicOwner.None, "");
        id = rest = "";
        if (owner == TopicOwner.None)
            return false;
        var tail = topic.AsSpan(prefix.Length);
        var slash = tail.IndexOf('/');
        if (slash <= 0)
            return false;
        id = tail[..slash].ToString();
        rest = tail[(slash + 1)..].ToString();
        return NamingRules.IsValidDeviceId(id);
    }
}

internal enum TopicOwner
{
    None,
    Device,
    Edge,
}
