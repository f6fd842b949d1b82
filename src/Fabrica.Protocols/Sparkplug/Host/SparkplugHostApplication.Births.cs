namespace Fabrica.Protocols.Sparkplug;

public sealed partial class SparkplugHostApplication
{
    /// <summary>
    /// NBIRTH (§4.2.1, §5.4): a new session. Its bdSeq pairs it with the NDEATH that will end it;
    /// its metrics replace the node's, devices stay offline until their next DBIRTH.
    /// </summary>
    private SparkplugHostUpdate OnNodeBirth(SparkplugTopic topic, SparkplugPayload payload)
    {
        var seq = payload.Seq ?? SparkplugProtocolException.Throw<byte>(SparkplugErrorReason.MissingField, $"NBIRTH of {topic.EdgeNodeId} carries no seq");
        var bdSeq = BdSeqOf(payload) ?? SparkplugProtocolException.Throw<long>(SparkplugErrorReason.MissingField, $"NBIRTH of {topic.EdgeNodeId} carries no bdSeq metric");
        var node = Node(topic.GroupId!, topic.EdgeNodeId!, create: true)
            ?? SparkplugProtocolException.Throw<EdgeNodeSession>(SparkplugErrorReason.LimitExceeded, $"more than {_options.Limits.MaxEdgeNodes} edge nodes");
        var table = BuildTable(node, null, payload, topic);

        var now = UnixTime.Now(_time);
        var events = new List<SparkplugHostEvent>();
        foreach (var device in node.Devices.Values)
        {
            if (device.Online)
                events.Add(DeviceEvent(SparkplugHostEventKind.DeviceOffline, node, device, now));
            device.Online = false;
            device.Metrics = MetricTable.Empty;
        }
        node.Aliases.Clear();
        AddAliases(node, table);
        node.Metrics = table;
        node.Online = true;
        node.BdSeq = bdSeq;
        node.ExpectedSeq = (seq + 1) & 0xFF;
        node.ClearMissing();
        node.LastRebirthRequest = null;
        _byDeviceId[node.DeviceId] = (node, null);
        events.Add(new SparkplugHostEvent(SparkplugHostEventKind.EdgeNodeOnline, node.GroupId, node.EdgeNodeId, null, node.DeviceId,
            payload.Timestamp ?? now, [.. table.ByTag.Keys]));
        return new SparkplugHostUpdate(Samples(node.DeviceId, table, payload, null, now), events, null);
    }

    /// <summary>
    /// NDEATH (§5.5): ends the session only when its bdSeq is the one of the NBIRTH; an older Will arriving after a
    /// reconnect is ignored. The node and all its devices go offline.
    /// </summary>
    private SparkplugHostUpdate OnNodeDeath(SparkplugTopic topic, SparkplugPayload payload)
    {
        var bdSeq = BdSeqOf(payload) ?? SparkplugProtocolException.Throw<long>(SparkplugErrorReason.MissingField, $"NDEATH of {topic.EdgeNodeId} carries no bdSeq metric");
        var node = Node(topic.GroupId!, topic.EdgeNodeId!, create: false);
        if (node is null || !node.Online || node.BdSeq != bdSeq)
        {
            _staleDeaths++;
            return SparkplugHostUpdate.Empty;
        }
        // The payload timestamp is when the Will was registered, not the death: use the time of receipt (§5.5).
        var now = UnixTime.Now(_time);
        var events = new List<SparkplugHostEvent>();
        foreach (var device in node.Devices.Values)
        {
            if (device.Online)
                events.Add(DeviceEvent(SparkplugHostEventKind.DeviceOffline, node, device, now));
            device.Online = false;
        }
        node.Online = false;
        node.ExpectedSeq = -1;
        node.ClearMissing();
        events.Add(new SparkplugHostEvent(SparkplugHostEventKind.EdgeNodeOffline, node.GroupId, node.EdgeNodeId, null, node.DeviceId, now, []));
        return new SparkplugHostUpdate([], events, null);
    }

    /// <summary>DBIRTH (§5.6): declares a device's metrics; aliases share the node's namespace (§6.4.6).</summary>
    private SparkplugHostUpdate OnDeviceBirth(EdgeNodeSession node, SparkplugTopic topic, SparkplugPayload payload, long now)
    {
        if (!node.Devices.TryGetValue(topic.DeviceId!, out var device))
        {
            if (node.Devices.Count >= _options.Limits.MaxDevicesPerEdgeNode)
                SparkplugProtocolException.Throw(SparkplugErrorReason.LimitExceeded, $"edge node {node.EdgeNodeId} announces more than {_options.Limits.MaxDevicesPerEdgeNode} devices");
            var deviceId = SparkplugNaming.ToDeviceId(node.GroupId, node.EdgeNodeId, topic.DeviceId, _options.IncludeGroupInDeviceId);
            device = new DeviceSession(topic.DeviceId!, deviceId);
        }
        var table = BuildTable(node, device, payload, topic);
        node.Devices[device.SparkplugId] = device;
        foreach (var old in device.Metrics.ByName.Values)
        {
            if (old.Alias is { } alias)
                node.Aliases.Remove(alias);
        }
        AddAliases(node, table);
        device.Metrics = table;
        device.Online = true;
        _byDeviceId[device.DeviceId] = (node, device);
        var born = DeviceEvent(SparkplugHostEventKind.DeviceOnline, node, device, payload.Timestamp ?? now);
        return new SparkplugHostUpdate(Samples(device.DeviceId, table, payload, device, now), [born], null);
    }

    private static SparkplugHostUpdate OnDeviceDeath(EdgeNodeSession node, SparkplugTopic topic, long now)
    {
        if (!node.Devices.TryGetValue(topic.DeviceId!, out var device) || !device.Online)
            return SparkplugHostUpdate.Empty;
        device.Online = false;
        return new SparkplugHostUpdate([], [DeviceEvent(SparkplugHostEventKind.DeviceOffline, node, device, now)], null);
    }

    /// <summary>
    /// Checks a birth's metrics before anything changes: each needs a name and a datatype (§6.4.6), names are unique
    /// in the birth, aliases unique across the node (other devices' and the node's own).
    /// </summary>
    private MetricTable BuildTable(EdgeNodeSession node, DeviceSession? device, SparkplugPayload payload, SparkplugTopic topic)
    {
        var byName = new Dictionary<string, MetricBinding>(payload.Metrics.Count, StringComparer.Ordinal);
        var byTag = new Dictionary<string, MetricBinding>(payload.Metrics.Count, StringComparer.Ordinal);
        var aliases = new HashSet<ulong>();
        var total = device is null ? 0 : node.Metrics.ByName.Count - device.Metrics.ByName.Count;
        if (device is not null)
        {
            foreach (var other in node.Devices.Values)
                total += other.Metrics.ByName.Count;
        }
        foreach (var metric in payload.Metrics)
        {
            if (string.IsNullOrEmpty(metric.Name))
                SparkplugProtocolException.Throw(SparkplugErrorReason.MissingField, $"{topic.MessageType} of {topic}: {metric.Label} has no name");
            if (metric.DataType == SparkplugDataType.Unknown)
                SparkplugProtocolException.Throw(SparkplugErrorReason.MissingField, $"{topic.MessageType} of {topic}: metric {metric.Name} has no datatype");
            if (metric.Alias is { } alias)
            {
                var owner = node.Aliases.GetValueOrDefault(alias);
                if (!aliases.Add(alias) || (device is not null && owner is not null && owner.Device != device))
                    SparkplugProtocolException.Throw(SparkplugErrorReason.DuplicateMetric, $"{topic.MessageType} of {topic}: alias {alias} is used twice on edge node {node.EdgeNodeId}");
            }
            if (++total > _options.Limits.MaxMetricsPerEdgeNode)
                SparkplugProtocolException.Throw(SparkplugErrorReason.LimitExceeded, $"edge node {node.EdgeNodeId} declares more than {_options.Limits.MaxMetricsPerEdgeNode} metrics");
            var binding = new MetricBinding(metric.Name, SparkplugNaming.ToTag(metric.Name), metric.DataType, metric.Alias, device);
            if (!byName.TryAdd(metric.Name, binding))
                SparkplugProtocolException.Throw(SparkplugErrorReason.DuplicateMetric, $"{topic.MessageType} of {topic}: metric {metric.Name} is declared twice");
            if (IsRecorded(binding, device))
                byTag.TryAdd(binding.Tag, binding);
        }
        return new MetricTable(byName, byTag);
    }

    private static void AddAliases(EdgeNodeSession node, MetricTable table)
    {
        foreach (var binding in table.ByName.Values)
        {
            if (binding.Alias is { } alias)
                node.Aliases[alias] = binding;
        }
    }

    /// <summary>The bdSeq metric's value: any integer datatype (the spec says Int64, Tahu's clients send UInt64).</summary>
    private static long? BdSeqOf(SparkplugPayload payload)
    {
        foreach (var metric in payload.Metrics)
        {
            if (metric.Name != SparkplugEdgeNode.BdSeqMetric)
                continue;
            var value = metric.Value.DataType == SparkplugDataType.Unknown ? metric.Value.WithDataType(SparkplugDataType.UInt64) : metric.Value;
            if (value.IsNull || !(SparkplugDataTypes.IsSignedInteger(value.DataType) || SparkplugDataTypes.IsUnsignedInteger(value.DataType)))
                SparkplugProtocolException.Throw(SparkplugErrorReason.InvalidField, $"bdSeq is a {value.DataType}{(value.IsNull ? " null" : "")}, not an integer");
            var bdSeq = value.AsDouble();
            return bdSeq is >= 0 and <= 255 ? (long)bdSeq : SparkplugProtocolException.Throw<long>(SparkplugErrorReason.InvalidField, $"bdSeq {bdSeq} is not 0–255");
        }
        return null;
    }

    /// <summary>Session bookkeeping metrics of the node are not telemetry: bdSeq and Node Control/*.</summary>
    private static bool IsRecorded(MetricBinding binding, DeviceSession? device) =>
        device is not null || (binding.Name != SparkplugEdgeNode.BdSeqMetric && !binding.Name.StartsWith("Node Control/", StringComparison.Ordinal));

    private static SparkplugHostEvent DeviceEvent(SparkplugHostEventKind kind, EdgeNodeSession node, DeviceSession device, long timestamp) =>
        new(kind, node.GroupId, node.EdgeNodeId, device.SparkplugId, device.DeviceId, timestamp,
            kind == SparkplugHostEventKind.DeviceOnline ? [.. device.Metrics.ByTag.Keys] : []);
}
