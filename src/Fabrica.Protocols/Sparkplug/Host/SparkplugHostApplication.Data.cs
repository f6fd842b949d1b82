namespace Fabrica.Protocols.Sparkplug;

public sealed partial class SparkplugHostApplication
{
    /// <summary>NDATA, DBIRTH, DDATA, DDEATH: messages inside a session, carrying seq.</summary>
    private SparkplugHostUpdate OnSessionMessage(SparkplugTopic topic, SparkplugPayload payload)
    {
        var node = Node(topic.GroupId!, topic.EdgeNodeId!, create: false);
        if (node is null || !node.Online)
        {
            // §5.15: data before the NBIRTH (a host that started late, or a lost birth) → ask for a rebirth.
            _beforeBirth++;
            return new SparkplugHostUpdate([], [], RequestRebirthLocked(topic.GroupId!, topic.EdgeNodeId!));
        }
        var seq = payload.Seq ?? SparkplugProtocolException.Throw<byte>(SparkplugErrorReason.MissingField, $"{topic.MessageType} on {topic} carries no seq");
        var rebirth = CheckSequence(node, seq);
        var now = UnixTime.Now(_time);
        var update = topic.MessageType switch
        {
            SparkplugMessageType.DBIRTH => OnDeviceBirth(node, topic, payload, now),
            SparkplugMessageType.DDEATH => OnDeviceDeath(node, topic, now),
            SparkplugMessageType.NDATA => OnData(node, null, payload, now),
            _ => OnDeviceData(node, topic, payload, now),
        };
        return rebirth is null ? update : update with { RebirthRequest = rebirth };
    }

    private SparkplugHostUpdate OnDeviceData(EdgeNodeSession node, SparkplugTopic topic, SparkplugPayload payload, long now)
    {
        if (!node.Devices.TryGetValue(topic.DeviceId!, out var device) || !device.Online)
        {
            _beforeBirth++;
            return new SparkplugHostUpdate([], [], RequestRebirthLocked(node.GroupId, node.EdgeNodeId));
        }
        return OnData(node, device, payload, now);
    }

    /// <summary>
    /// Resolves every metric against the birth (alias or name; DATA may omit the datatype) before producing any
    /// sample, so a payload with one unknown metric stores nothing.
    /// </summary>
    private static SparkplugHostUpdate OnData(EdgeNodeSession node, DeviceSession? device, SparkplugPayload payload, long now)
    {
        var samples = new List<SeriesSample>(payload.Metrics.Count);
        List<SeriesSample>? historical = null;
        var deviceId = device?.DeviceId ?? node.DeviceId;
        var table = device?.Metrics ?? node.Metrics;
        foreach (var metric in payload.Metrics)
        {
            MetricBinding? binding = null;
            if (metric.Alias is { } alias)
                binding = node.Aliases.GetValueOrDefault(alias);
            else if (metric.Name is { } name)
                binding = table.ByName.GetValueOrDefault(name);
            if (binding is null || binding.Device != device)
            {
                var owner = device is null ? $"edge node {node.EdgeNodeId}" : $"device {device.SparkplugId}";
                SparkplugProtocolException.Throw(SparkplugErrorReason.UnknownMetric, $"{metric.Label} is not a metric the birth of {owner} declared");
            }
            var value = metric.Value.WithDataType(binding.DataType);
            if (IsRecorded(binding, device) && !metric.IsTransient && value.TryToSampleValue(out var sampleValue))
            {
                var sample = new SeriesSample(new SeriesKey(deviceId, binding.Tag), new Sample(metric.Timestamp ?? payload.Timestamp ?? now, sampleValue, QualityOf(metric)));
                (metric.IsHistorical ? historical ??= [] : samples).Add(sample);
            }
        }
        return new SparkplugHostUpdate(samples, [], null) { Historical = historical ?? [] };
    }

    /// <summary>The samples of a birth: every metric with a value Fabrica can store (§4.2.1: births carry current values).</summary>
    private static List<SeriesSample> Samples(string deviceId, MetricTable table, SparkplugPayload payload, DeviceSession? device, long now)
    {
        var samples = new List<SeriesSample>(payload.Metrics.Count);
        foreach (var metric in payload.Metrics)
        {
            var binding = table.ByName[metric.Name!];
            if (IsRecorded(binding, device) && !metric.IsTransient && metric.Value.TryToSampleValue(out var value))
                samples.Add(new SeriesSample(new SeriesKey(deviceId, binding.Tag), new Sample(metric.Timestamp ?? payload.Timestamp ?? now, value, QualityOf(metric))));
        }
        return samples;
    }

    /// <summary>Sparkplug Good → Good, Stale (the last value, no longer current) → Uncertain, Bad → Bad.</summary>
    private static Quality QualityOf(SparkplugMetric metric) => metric.Quality switch
    {
        null or SparkplugQuality.Good => Quality.Good,
        SparkplugQuality.Stale => Quality.Uncertain,
        _ => Quality.Bad,
    };

    /// <summary>
    /// §5.9 message ordering: seq runs 0–255 and wraps, one more per message of the node. A seq ahead of the
    /// expected one opens a gap (its missing numbers are remembered); a missing one arriving late closes it. A gap
    /// still open after the reorder timeout (zero: at once) asks for a rebirth. Data is processed either way: a
    /// time-series store wants every value it gets.
    /// </summary>
    private SparkplugMessage? CheckSequence(EdgeNodeSession node, byte seq)
    {
        if (node.ExpectedSeq < 0 || seq == node.ExpectedSeq)
        {
            node.ExpectedSeq = (seq + 1) & 0xFF;
        }
        else if (node.Missing[seq])
        {
            _outOfOrder++;
            node.Missing[seq] = false;
            if (--node.MissingCount == 0)
                node.ReorderDeadline = null;
        }
        else
        {
            var ahead = (seq - node.ExpectedSeq) & 0xFF;
            if (ahead >= 128)
            {
                // Behind the expected seq and not awaited: a duplicate or a message from before an earlier gap.
                _outOfOrder++;
                return null;
            }
            _gaps++;
            for (var missing = node.ExpectedSeq; missing != seq; missing = (missing + 1) & 0xFF)
            {
                if (!node.Missing[missing])
                {
                    node.Missing[missing] = true;
                    node.MissingCount++;
                }
            }
            node.ExpectedSeq = (seq + 1) & 0xFF;
            node.ReorderDeadline ??= UnixTime.Now(_time) + (long)_options.ReorderTimeout.TotalMilliseconds;
        }
        return node.ReorderDeadline is { } deadline && UnixTime.Now(_time) >= deadline ? RebirthAfterGap(node) : null;
    }

    /// <summary>A rebirth settles the gap: the new NBIRTH restarts seq, so the missing numbers are no longer awaited.</summary>
    private SparkplugMessage? RebirthAfterGap(EdgeNodeSession node)
    {
        node.ClearMissing();
        return RequestRebirthLocked(node.GroupId, node.EdgeNodeId);
    }
}
