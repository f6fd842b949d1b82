namespace Fabrica.Protocols.Sparkplug;

/// <summary>A new value for a metric the edge node declared: what the edge pipeline hands to Sparkplug.</summary>
/// <param name="Historical">
/// A value from the edge's store-and-forward buffer (§6.4.6 is_historical): sent with its own timestamp, marked
/// historical, and not taken as the metric's current value (a later birth still carries the newest live value).
/// </param>
public readonly record struct SparkplugMetricUpdate(string Name, SparkplugValue Value, long? Timestamp = null, SparkplugQuality? Quality = null, bool Historical = false);

/// <summary>A command metric for a device adapter: write <see cref="Value"/> to <see cref="MetricName"/>.</summary>
/// <param name="DeviceId">The Sparkplug device id, or null for a metric of the edge node itself.</param>
public sealed record SparkplugWrite(string? DeviceId, string MetricName, SparkplugValue Value);

/// <summary>What an NCMD or DCMD asked of the edge node.</summary>
/// <param name="Births">A rebirth was requested: publish these (NBIRTH, then each DBIRTH) before any more data.</param>
/// <param name="Writes">Writes for the device adapters, in the order of the command's metrics.</param>
public sealed record SparkplugEdgeCommand(IReadOnlyList<SparkplugMessage> Births, IReadOnlyList<SparkplugWrite> Writes)
{
    public bool RebirthRequested => Births.Count > 0;
}

/// <summary>
/// The publisher side of a Sparkplug B edge node session (Sparkplug 3.0 §5.4–5.7, §5.16–5.17), without the MQTT client:
/// it says what to publish and when the state allows it, and the edge runtime's MQTT connection publishes it.
/// <list type="number">
/// <item>Before each MQTT CONNECT, <see cref="CreateWill"/>: the NDEATH to register as Will Message; its bdSeq is
/// one more than the previous connection's (0–255, wrapping).</item>
/// <item>After CONNECT and subscribing to NCMD/DCMD, <see cref="CreateBirths"/>: NBIRTH (seq 0, the same bdSeq,
/// <c>Node Control/Rebirth</c> = false) and a DBIRTH per device. Every metric gets an alias, stable for the
/// lifetime of this object; the births carry name and alias, later messages only the alias.</item>
/// <item><see cref="NodeData"/>, <see cref="DeviceData"/>, <see cref="DeviceBirth"/>, <see cref="DeviceDeath"/>;
/// seq counts 0–255 and wraps across all of them.</item>
/// <item>Commands: <see cref="HandleCommand"/> turns NCMD/DCMD into writes, and a Rebirth request into a new
/// birth sequence with the same bdSeq.</item>
/// <item>Before a clean DISCONNECT, <see cref="CreateDeath"/>; after a lost connection, <see cref="ConnectionLost"/>.</item>
/// </list>
/// Thread-safe: the poll loop and the MQTT receive loop may call it concurrently.
/// </summary>
public sealed partial class SparkplugEdgeNode
{
    public const string BdSeqMetric = "bdSeq";
    public const string RebirthMetric = "Node Control/Rebirth";

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly List<MetricSlot> _nodeMetrics = [];
    private readonly Dictionary<string, MetricSlot> _nodeByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeviceSlot> _devices = new(StringComparer.Ordinal);
    private readonly List<DeviceSlot> _deviceOrder = [];
    private ulong _nextAlias = 1;
    private int _bdSeq;
    private bool _willCreated;
    private int _seq;
    private bool _online;

    public SparkplugEdgeNode(string groupId, string edgeNodeId, TimeProvider? timeProvider = null, byte initialBdSeq = 0)
    {
        // Validates both ids the way every topic will use them.
        _ = SparkplugTopic.ForNode(groupId, SparkplugMessageType.NBIRTH, edgeNodeId);
        GroupId = groupId;
        EdgeNodeId = edgeNodeId;
        _time = timeProvider ?? TimeProvider.System;
        _bdSeq = initialBdSeq;
    }

    public string GroupId { get; }

    public string EdgeNodeId { get; }

    /// <summary>The bdSeq of the current (or next) MQTT session.</summary>
    public byte BdSeq
    {
        get
        {
            lock (_gate)
                return (byte)_bdSeq;
        }
    }

    /// <summary>True between <see cref="CreateBirths"/> and <see cref="CreateDeath"/> / <see cref="ConnectionLost"/>.</summary>
    public bool IsOnline
    {
        get
        {
            lock (_gate)
                return _online;
        }
    }

    /// <summary>Declares a metric of the edge node itself, with its datatype and current value.</summary>
    public void DefineNodeMetric(string name, SparkplugValue initialValue)
    {
        lock (_gate)
        {
            CheckName(name);
            if (_nodeByName.ContainsKey(name))
                throw new ArgumentException($"The edge node already has a metric '{name}'.", nameof(name));
            var slot = NewSlot(name, initialValue);
            _nodeMetrics.Add(slot);
            _nodeByName.Add(name, slot);
        }
    }

    /// <summary>
    /// Declares a device and its metrics (datatype and current value each). After <see cref="CreateBirths"/>,
    /// publish <see cref="DeviceBirth"/> for it before its data.
    /// </summary>
    public void DefineDevice(string deviceId, IEnumerable<KeyValuePair<string, SparkplugValue>> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _ = SparkplugTopic.ForDevice(GroupId, SparkplugMessageType.DBIRTH, EdgeNodeId, deviceId);
        lock (_gate)
        {
            if (_devices.ContainsKey(deviceId))
                throw new ArgumentException($"The device '{deviceId}' is already defined.", nameof(deviceId));
            var device = new DeviceSlot(deviceId);
            foreach (var (name, value) in metrics)
            {
                CheckName(name);
                if (!device.ByName.TryAdd(name, NewSlot(name, value)))
                    throw new ArgumentException($"The device '{deviceId}' lists the metric '{name}' twice.", nameof(metrics));
                device.Metrics.Add(device.ByName[name]);
            }
            _devices.Add(deviceId, device);
            _deviceOrder.Add(device);
        }
    }

    /// <summary>
    /// The NDEATH to register as the MQTT Will Message (QoS 1, not retained) for the next CONNECT (§5.4). Each call
    /// starts a new session: the first uses the initial bdSeq, each later one the next (255 wraps to 0).
    /// </summary>
    public SparkplugMessage CreateWill()
    {
        lock (_gate)
        {
            if (_willCreated)
                _bdSeq = (_bdSeq + 1) & 0xFF;
            _willCreated = true;
            _online = false;
            return DeathMessage();
        }
    }

    /// <summary>
    /// The NDEATH to publish before a clean DISCONNECT (§5.5: the broker then drops the Will). The same bytes as the
    /// Will, so hosts ignore whichever arrives second. The node is offline afterwards.
    /// </summary>
    public SparkplugMessage CreateDeath()
    {
        lock (_gate)
        {
            RequireWill();
            _online = false;
            return DeathMessage() with { QualityOfService = 0 };
        }
    }

    /// <summary>Whether <paramref name="deviceId"/> is defined and has a DBIRTH in the current session (no DDEATH since).</summary>
    public bool IsDeviceBorn(string deviceId)
    {
        lock (_gate)
            return _online && _devices.TryGetValue(deviceId, out var device) && device.Born;
    }

    /// <summary>Whether <paramref name="deviceId"/> declared a metric <paramref name="name"/>, and its datatype.</summary>
    public bool TryGetDeviceMetric(string deviceId, string name, out SparkplugDataType dataType)
    {
        lock (_gate)
        {
            dataType = _devices.TryGetValue(deviceId, out var device) && device.ByName.TryGetValue(name, out var slot) ? slot.DataType : SparkplugDataType.Unknown;
            return dataType != SparkplugDataType.Unknown;
        }
    }

    /// <summary>The MQTT connection dropped: the broker publishes the Will; nothing may be sent until new births.</summary>
    public void ConnectionLost()
    {
        lock (_gate)
            _online = false;
    }

    private SparkplugMessage DeathMessage()
    {
        var now = UnixTime.Now(_time);
        var payload = new SparkplugPayload(now, null, [SparkplugMetric.Named(BdSeqMetric, SparkplugValue.Int64(_bdSeq), now)]);
        return new SparkplugMessage(SparkplugTopic.ForNode(GroupId, SparkplugMessageType.NDEATH, EdgeNodeId), SparkplugPayloadCodec.Encode(payload), 1, false);
    }

    private MetricSlot NewSlot(string name, SparkplugValue value)
    {
        if (value.DataType == SparkplugDataType.Unknown || SparkplugDataTypes.IsUnsupported(value.DataType))
            throw new ArgumentException($"The metric '{name}' needs a supported datatype, not {value.DataType}.", nameof(value));
        return new MetricSlot(name, _nextAlias++, value.DataType) { Value = value, Timestamp = UnixTime.Now(_time) };
    }

    private static void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name is BdSeqMetric || name.StartsWith("Node Control/", StringComparison.Ordinal))
            throw new ArgumentException($"'{name}' is reserved by Sparkplug.", nameof(name));
    }

    private void RequireWill()
    {
        if (!_willCreated)
            throw new InvalidOperationException("Create the Will (CreateWill) before connecting; births and deaths carry its bdSeq.");
    }

    private void RequireOnline()
    {
        if (!_online)
            throw new InvalidOperationException($"Edge node {GroupId}/{EdgeNodeId} is offline: publish its births (CreateBirths) first.");
    }

    private byte NextSeq()
    {
        var seq = (byte)_seq;
        _seq = (_seq + 1) & 0xFF;
        return seq;
    }

    private sealed class MetricSlot(string name, ulong alias, SparkplugDataType dataType)
    {
        public string Name { get; } = name;

        public ulong Alias { get; } = alias;

        public SparkplugDataType DataType { get; } = dataType;

        public SparkplugValue Value { get; set; }

        public long Timestamp { get; set; }

        public SparkplugQuality? Quality { get; set; }
    }

    private sealed class DeviceSlot(string id)
    {
        public string Id { get; } = id;

        public List<MetricSlot> Metrics { get; } = [];

        public Dictionary<string, MetricSlot> ByName { get; } = new(StringComparer.Ordinal);

        public bool Born { get; set; }
    }
}
