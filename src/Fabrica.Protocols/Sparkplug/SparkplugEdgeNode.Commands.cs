namespace Fabrica.Protocols.Sparkplug;

public sealed partial class SparkplugEdgeNode
{
    /// <summary>
    /// Handles an NCMD or DCMD addressed to this edge node (§5.17): <c>Node Control/Rebirth</c> = true yields a new
    /// birth sequence (same bdSeq, seq from 0); other metrics become <see cref="SparkplugWrite"/>s for the device
    /// adapters, resolved by alias or name and typed by their births.
    /// </summary>
    /// <exception cref="SparkplugProtocolException">Malformed, not addressed to this node, or naming unknown metrics.</exception>
    public SparkplugEdgeCommand HandleCommand(string topic, ReadOnlySpan<byte> payload)
    {
        var parsed = SparkplugTopic.Parse(topic);
        if (parsed.MessageType is not (SparkplugMessageType.NCMD or SparkplugMessageType.DCMD)
            || parsed.GroupId != GroupId || parsed.EdgeNodeId != EdgeNodeId)
            SparkplugProtocolException.Throw(SparkplugErrorReason.InvalidTopic, $"'{topic}' is not a command for edge node {GroupId}/{EdgeNodeId}");
        var command = SparkplugPayloadCodec.Decode(payload);

        lock (_gate)
        {
            var rebirth = false;
            var writes = new List<SparkplugWrite>(command.Metrics.Count);
            DeviceSlot? device = null;
            if (parsed.DeviceId is { } deviceId && !_devices.TryGetValue(deviceId, out device))
                SparkplugProtocolException.Throw(SparkplugErrorReason.UnknownMetric, $"DCMD for device '{deviceId}', which edge node {EdgeNodeId} does not have");
            foreach (var metric in command.Metrics)
            {
                if (device is null && metric.Name == RebirthMetric)
                {
                    rebirth |= metric.Value.WithDataType(SparkplugDataType.Boolean) is { IsNull: false } value && value.AsBoolean();
                    continue;
                }
                var slot = Resolve(metric, device);
                writes.Add(new SparkplugWrite(device?.Id, slot.Name, metric.Value.WithDataType(slot.DataType)));
            }
            var births = rebirth && _willCreated ? CreateBirthsLocked() : [];
            return new SparkplugEdgeCommand(births, writes);
        }
    }

    private MetricSlot Resolve(SparkplugMetric metric, DeviceSlot? device)
    {
        var slots = device?.Metrics ?? _nodeMetrics;
        if (metric.Alias is { } alias)
        {
            foreach (var slot in slots)
            {
                if (slot.Alias == alias)
                    return slot;
            }
        }
        else if (metric.Name is { } name && (device?.ByName ?? _nodeByName).TryGetValue(name, out var named))
        {
            return named;
        }
        var owner = device is null ? $"edge node {EdgeNodeId}" : $"device '{device.Id}'";
        return SparkplugProtocolException.Throw<MetricSlot>(SparkplugErrorReason.UnknownMetric, $"command for {metric.Label}, which {owner} did not declare");
    }
}
