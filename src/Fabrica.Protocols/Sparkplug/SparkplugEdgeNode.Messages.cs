namespace Fabrica.Protocols.Sparkplug;

public sealed partial class SparkplugEdgeNode
{
    /// <summary>
    /// The birth sequence (§5.4, §5.6): NBIRTH with seq 0, bdSeq, <c>Node Control/Rebirth</c> = false and every node
    /// metric (name, alias, datatype, current value), then a DBIRTH per defined device. The node is online after it.
    /// </summary>
    public IReadOnlyList<SparkplugMessage> CreateBirths()
    {
        lock (_gate)
            return CreateBirthsLocked();
    }

    private List<SparkplugMessage> CreateBirthsLocked()
    {
        RequireWill();
        var now = UnixTime.Now(_time);
        _seq = 0;
        var metrics = new List<SparkplugMetric>(_nodeMetrics.Count + 2)
        {
            // Neither carries an alias: any host must be able to request a rebirth without knowing aliases (§5.17).
            SparkplugMetric.Named(BdSeqMetric, SparkplugValue.Int64(_bdSeq), now),
            SparkplugMetric.Named(RebirthMetric, SparkplugValue.Boolean(false), now),
        };
        foreach (var slot in _nodeMetrics)
            metrics.Add(BirthMetric(slot));
        var messages = new List<SparkplugMessage>(1 + _deviceOrder.Count)
        {
            Message(SparkplugTopic.ForNode(GroupId, SparkplugMessageType.NBIRTH, EdgeNodeId), new SparkplugPayload(now, NextSeq(), metrics)),
        };
        _online = true;
        foreach (var device in _deviceOrder)
            messages.Add(DeviceBirthLocked(device, now));
        return messages;
    }

    /// <summary>A DBIRTH for a device defined after the births (or again, after its DDEATH).</summary>
    public SparkplugMessage DeviceBirth(string deviceId)
    {
        lock (_gate)
        {
            RequireOnline();
            return DeviceBirthLocked(Device(deviceId), UnixTime.Now(_time));
        }
    }

    private SparkplugMessage DeviceBirthLocked(DeviceSlot device, long now)
    {
        var metrics = new SparkplugMetric[device.Metrics.Count];
        for (var i = 0; i < metrics.Length; i++)
            metrics[i] = BirthMetric(device.Metrics[i]);
        device.Born = true;
        return Message(SparkplugTopic.ForDevice(GroupId, SparkplugMessageType.DBIRTH, EdgeNodeId, device.Id), new SparkplugPayload(now, NextSeq(), metrics));
    }

    /// <summary>An NDATA with the changed node metrics, by alias (§5.16).</summary>
    public SparkplugMessage NodeData(IEnumerable<SparkplugMetricUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        lock (_gate)
        {
            RequireOnline();
            var metrics = DataMetrics(updates, _nodeByName, "the edge node");
            return Message(SparkplugTopic.ForNode(GroupId, SparkplugMessageType.NDATA, EdgeNodeId), new SparkplugPayload(UnixTime.Now(_time), NextSeq(), metrics));
        }
    }

    /// <summary>A DDATA with the changed metrics of one device, by alias (§5.16).</summary>
    public SparkplugMessage DeviceData(string deviceId, IEnumerable<SparkplugMetricUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        lock (_gate)
        {
            RequireOnline();
            var device = Device(deviceId);
            if (!device.Born)
                throw new InvalidOperationException($"Device '{deviceId}' has no birth in this session: publish DeviceBirth first.");
            var metrics = DataMetrics(updates, device.ByName, $"device '{deviceId}'");
            return Message(SparkplugTopic.ForDevice(GroupId, SparkplugMessageType.DDATA, EdgeNodeId, deviceId), new SparkplugPayload(UnixTime.Now(_time), NextSeq(), metrics));
        }
    }

    /// <summary>A DDEATH: the device can no longer report (§5.7); its data needs a new DBIRTH.</summary>
    public SparkplugMessage DeviceDeath(string deviceId)
    {
        lock (_gate)
        {
            RequireOnline();
            var device = Device(deviceId);
            device.Born = false;
            return Message(SparkplugTopic.ForDevice(GroupId, SparkplugMessageType.DDEATH, EdgeNodeId, deviceId), new SparkplugPayload(UnixTime.Now(_time), NextSeq(), []));
        }
    }

    private List<SparkplugMetric> DataMetrics(IEnumerable<SparkplugMetricUpdate> updates, Dictionary<string, MetricSlot> slots, string owner)
    {
        var metrics = new List<SparkplugMetric>();
        var now = UnixTime.Now(_time);
        foreach (var update in updates)
        {
            if (!slots.TryGetValue(update.Name, out var slot))
                throw new ArgumentException($"{owner} declared no metric '{update.Name}'.", nameof(updates));
            if (update.Value.DataType != slot.DataType)
                throw new ArgumentException($"Metric '{update.Name}' is a {slot.DataType}, not a {update.Value.DataType}.", nameof(updates));
            if (update.Historical)
            {
                // Backfill (§6.4.6 is_historical): the value of an earlier moment, so the slot keeps the current one.
                metrics.Add(new SparkplugMetric(null, slot.Alias, update.Timestamp ?? now, update.Value) { Quality = NotGood(update.Quality), IsHistorical = true });
                continue;
            }
            slot.Value = update.Value;
            slot.Timestamp = update.Timestamp ?? now;
            slot.Quality = update.Quality;
            // Aliased, with the datatype: optional in DATA (§6.4.6), but Tahu's JavaScript decoder needs it to read values.
            metrics.Add(new SparkplugMetric(null, slot.Alias, slot.Timestamp, slot.Value) { Quality = NotGood(slot.Quality) });
        }
        return metrics;
    }

    private static SparkplugMetric BirthMetric(MetricSlot slot) =>
        new(slot.Name, slot.Alias, slot.Timestamp, slot.Value) { Quality = NotGood(slot.Quality) };

    // The Quality property is only needed when the quality is not Good (§6.4.9).
    private static SparkplugQuality? NotGood(SparkplugQuality? quality) => quality == SparkplugQuality.Good ? null : quality;

    private DeviceSlot Device(string deviceId) =>
        _devices.TryGetValue(deviceId, out var device) ? device : throw new ArgumentException($"No device '{deviceId}' is defined.", nameof(deviceId));

    private static SparkplugMessage Message(SparkplugTopic topic, SparkplugPayload payload) =>
        new(topic, SparkplugPayloadCodec.Encode(payload), 0, false);
}
