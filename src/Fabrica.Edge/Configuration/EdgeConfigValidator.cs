namespace Fabrica.Edge.Configuration;

/// <summary>The rules a parsed configuration must follow; each broken rule becomes one error with its path and fix.</summary>
internal static class EdgeConfigValidator
{
    public const int PlatformMaxSamplesPerMessage = 10_000;

    public static List<EdgeConfigError> Validate(EdgeOptions options)
    {
        var errors = new List<EdgeConfigError>();
        void Fail(string path, string message) => errors.Add(new EdgeConfigError(path, message));

        if (!NamingRules.IsValidDeviceId(options.Id))
            Fail("$.id", "set the edge (gateway) id registered on the platform: 1–128 letters, digits, '-', '_' or '.'.");
        if (string.IsNullOrWhiteSpace(options.Token))
            Fail("$.token", "set the gateway token the platform printed when the edge was registered (POST /api/v1/edges).");

        if (string.IsNullOrWhiteSpace(options.Platform.Host))
            Fail("$.platform.host", "set the host name or address of the platform's MQTT endpoint, e.g. \"fabrica.plant.local\".");
        if (options.Platform.Port is < 1 or > 65535)
            Fail("$.platform.port", $"{options.Platform.Port} is not a TCP port; use 1–65535 (1883 plain, 8883 with TLS).");

        var uplink = options.Uplink;
        if (uplink.Format is not ("json" or "sparkplug"))
            Fail("$.uplink.format", $"\"{uplink.Format}\" is not an uplink format; use \"json\" or \"sparkplug\".");
        else if (uplink.Format == "sparkplug" && !Protocols.Sparkplug.SparkplugTopic.TryParse($"{Protocols.Sparkplug.SparkplugTopic.Namespace}/{uplink.SparkplugGroupId}/NBIRTH/{options.Id}", out _, out _))
            Fail("$.uplink.sparkplugGroupId", "a Sparkplug group id is a non-empty UTF-8 string without '/', '+' or '#'.");
        if (!options.Platform.Tls && (options.Platform.CaFile is not null || options.Platform.PinnedSha256 is not null))
            Fail("$.platform.tls", "caFile and pinnedSha256 apply to TLS only; set \"tls\": true.");
        if (Uplink.PlatformTls.NormalizeFingerprint(options.Platform.PinnedSha256) is { Length: not 64 })
            Fail("$.platform.pinnedSha256", "a SHA-256 fingerprint is 64 hex digits (colons and spaces allowed), as `fabrica serve` prints it.");
        if (uplink.MaxSamplesPerMessage is < 1 or > PlatformMaxSamplesPerMessage)
            Fail("$.uplink.maxSamplesPerMessage", $"use 1–{PlatformMaxSamplesPerMessage} (the platform's per-message limit).");
        if (uplink.DrainRate < 0 || double.IsNaN(uplink.DrainRate))
            Fail("$.uplink.drainRate", "use messages per second ≥ 0 (0 = as fast as the platform acknowledges).");
        if (uplink.ReconnectMax < uplink.ReconnectMin)
            Fail("$.uplink.reconnectMax", "must not be shorter than reconnectMin.");

        var buffer = options.Buffer;
        if (string.IsNullOrWhiteSpace(buffer.Directory))
            Fail("$.buffer.directory", "set a directory for the buffer, e.g. \"/var/lib/fabrica-edge/buffer\".");
        if (buffer.SegmentBytes < 64 * 1024)
            Fail("$.buffer.segmentBytes", "use at least \"64KiB\" (default \"4MiB\").");
        if (buffer.MaxBytes < 4 * buffer.SegmentBytes)
            Fail("$.buffer.maxBytes", $"must hold at least 4 segments ({4 * buffer.SegmentBytes} bytes); raise it or lower segmentBytes.");
        if (buffer.CommitInterval < TimeSpan.FromMilliseconds(1) || buffer.CommitInterval > TimeSpan.FromSeconds(10))
            Fail("$.buffer.commitInterval", "use 1ms–10s (default \"100ms\"); it is the most a crash may lose.");

        if (options.Devices.Count == 0)
            Fail("$.devices", "list at least one device with id, adapter, settings and tags.");
        var deviceIds = new HashSet<string>(StringComparer.Ordinal);
        for (var d = 0; d < options.Devices.Count; d++)
            ValidateDevice(options.Devices[d], $"$.devices[{d}]", deviceIds, Fail);

        // Edge rules: the shared rule model, checked against this file's devices and tags (docs/rules.md, "Edge rules").
        errors.AddRange(Rules.EdgeRuleCompiler.Validate(options));
        return errors;
    }

    private static void ValidateDevice(DeviceOptions device, string path, HashSet<string> ids, Action<string, string> fail)
    {
        if (device is null)
        {
            fail(path, "a device is an object with id, adapter, settings and tags.");
            return;
        }
        if (!NamingRules.IsValidDeviceId(device.Id))
            fail(path + ".id", "set the device id: 1–128 letters, digits, '-', '_' or '.' (it becomes part of MQTT topics).");
        else if (!ids.Add(device.Id))
            fail(path + ".id", $"\"{device.Id}\" is listed twice; give each device its own id.");
        if (string.IsNullOrWhiteSpace(device.Adapter))
            fail(path + ".adapter", "set the adapter kind, e.g. \"modbus\".");
        if (device.PollPeriod < TimeSpan.FromMilliseconds(1))
            fail(path + ".pollPeriod", "use at least \"1ms\".");
        if (device.Tags.Count == 0)
            fail(path + ".tags", "list at least one tag with name and address.");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var t = 0; t < device.Tags.Count; t++)
        {
            var tag = device.Tags[t];
            var tagPath = $"{path}.tags[{t}]";
            if (tag is null)
            {
                fail(tagPath, "a tag is an object with name and address.");
                continue;
            }
            if (!NamingRules.IsValidTag(tag.Name))
                fail(tagPath + ".name", "set the tag name: 1–256 characters without control characters, '/', '+' or '#'.");
            else if (!names.Add(tag.Name))
                fail(tagPath + ".name", $"\"{tag.Name}\" is listed twice in this device; tag names are unique per device.");
            if (string.IsNullOrWhiteSpace(tag.Address))
                fail(tagPath + ".address", "set where the adapter reads the value (its address syntax is in docs/edge.md).");
            if (tag.PollPeriod is { } period && period < TimeSpan.FromMilliseconds(1))
                fail(tagPath + ".pollPeriod", "use at least \"1ms\".");
            if (!double.IsFinite(tag.Scale) || tag.Scale == 0)
                fail(tagPath + ".scale", "use a finite, non-zero factor (1 = unscaled).");
            if (!double.IsFinite(tag.Offset))
                fail(tagPath + ".offset", "use a finite number (0 = no offset).");
            if (tag.Deadband is { } deadband)
            {
                if (deadband.Absolute is null == deadband.Percent is null)
                    fail(tagPath + ".deadband", "set exactly one of \"absolute\" (engineering units) or \"percent\" (of the last reported value).");
                else if (deadband.Absolute is { } abs && (!double.IsFinite(abs) || abs < 0))
                    fail(tagPath + ".deadband.absolute", "use a number ≥ 0.");
                else if (deadband.Percent is { } pct && (!double.IsFinite(pct) || pct < 0 || pct > 100))
                    fail(tagPath + ".deadband.percent", "use a percentage from 0 to 100.");
            }
            if (tag.MaxInterval is { } max && max < (tag.PollPeriod ?? device.PollPeriod))
                fail(tagPath + ".maxInterval", "must not be shorter than the tag's poll period.");
        }
    }
}
