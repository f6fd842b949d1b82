namespace Fabrica.Server.Mqtt;

/// <summary>
/// The MQTT topic tree of a device: <c>fabrica/devices/{deviceId}/telemetry</c> (device → platform) and
/// <c>fabrica/devices/{deviceId}/errors</c> (platform → device: why a message was dropped).
/// </summary>
internal static class DeviceTopics
{
    public const string Prefix = "fabrica/devices/";
    public const string Telemetry = "telemetry";
    public const string Errors = "errors";

    public static string ErrorsOf(string deviceId) => $"{Prefix}{deviceId}/{Errors}";

    /// <summary>Splits <c>fabrica/devices/{id}/{rest}</c>; false for any other topic.</summary>
    public static bool TryParse(string topic, out string deviceId, out string rest)
    {
        deviceId = rest = "";
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var tail = topic.AsSpan(Prefix.Length);
        var slash = tail.IndexOf('/');
        if (slash <= 0)
            return false;
        deviceId = tail[..slash].ToString();
        rest = tail[(slash + 1)..].ToString();
        return NamingRules.IsValidDeviceId(deviceId);
    }
}
