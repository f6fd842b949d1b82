namespace Fabrica.Protocols.Sparkplug;

/// <summary>
/// The consuming side of Sparkplug B for the platform's ingest (Sparkplug 3.0 §5.9, §5.15, §6.4): per edge node it
/// tracks the bdSeq of the session, the seq of the last message, and the metrics (names, aliases, datatypes) its
/// NBIRTH and DBIRTHs declared; it turns births and data into Fabrica samples (<see cref="SparkplugNaming"/>),
/// NDEATH with the session's bdSeq and DDEATH into offline events, and sequence gaps or data without a birth into
/// Rebirth requests (NCMD <c>Node Control/Rebirth</c>), counted in <see cref="Statistics"/>.
/// The MQTT client stays outside: feed it each message with <see cref="Receive"/>, publish what it returns.
/// Thread-safe.
/// </summary>
public sealed partial class SparkplugHostApplication
{
    private readonly Lock _gate = new();
    private readonly SparkplugHostOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<(string Group, string EdgeNode), EdgeNodeSession> _nodes = [];
    private readonly Dictionary<string, (EdgeNodeSession Node, DeviceSession? Device)> _byDeviceId = new(StringComparer.Ordinal);
    private long _messages;
    private long _samples;
    private long _gaps;
    private long _outOfOrder;
    private long _beforeBirth;
    private long _staleDeaths;
    private long _rebirths;
    private long _ignored;

    public SparkplugHostApplication(SparkplugHostOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new SparkplugHostOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    public SparkplugHostStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new SparkplugHostStatistics
                {
                    Messages = _messages,
                    Samples = _samples,
                    SequenceGaps = _gaps,
                    OutOfOrder = _outOfOrder,
                    DataBeforeBirth = _beforeBirth,
                    StaleDeaths = _staleDeaths,
                    RebirthRequests = _rebirths,
                    Ignored = _ignored,
                };
            }
        }
    }

    /// <summary>
    /// Processes one message from a subscription to <c>spBv1.0/#</c> (or narrower). STATE and commands of other
    /// hosts are ignored.
    /// </summary>
    /// <exception cref="SparkplugProtocolException">
    /// The topic or payload is malformed, or names a metric its birth did not declare. Nothing was stored; a host
    /// may answer with <see cref="RequestRebirth"/> (§5.15 leaves that to configuration).
    /// </exception>
    public SparkplugHostUpdate Receive(string topic, ReadOnlySpan<byte> payload)
    {
        var parsed = SparkplugTopic.Parse(topic);
        if (parsed.IsState || parsed.MessageType is SparkplugMessageType.NCMD or SparkplugMessageType.DCMD)
        {
            lock (_gate)
            {
                _messages++;
                _ignored++;
            }
            return SparkplugHostUpdate.Empty;
        }
        var decoded = SparkplugPayloadCodec.Decode(payload, _options.Limits);
        lock (_gate)
        {
            _messages++;
            var update = parsed.MessageType switch
            {
                SparkplugMessageType.NBIRTH => OnNodeBirth(parsed, decoded),
                SparkplugMessageType.NDEATH => OnNodeDeath(parsed, decoded),
                _ => OnSessionMessage(parsed, decoded),
            };
            _samples += update.Samples.Count + update.Historical.Count;
            return update;
        }
    }

    /// <summary>
    /// An NCMD <c>Node Control/Rebirth</c> = true for the edge node (§5.17), or null when this host sends none or
    /// already asked that node within <see cref="SparkplugHostOptions.RebirthRequestInterval"/> without an NBIRTH since.
    /// </summary>
    public SparkplugMessage? RequestRebirth(string groupId, string edgeNodeId)
    {
        lock (_gate)
            return RequestRebirthLocked(groupId, edgeNodeId);
    }

    /// <summary>
    /// Rebirth requests for edge nodes whose missing seq numbers did not arrive within
    /// <see cref="SparkplugHostOptions.ReorderTimeout"/>. Call it periodically when that timeout is not zero.
    /// </summary>
    public IReadOnlyList<SparkplugMessage> CheckReorderTimeouts()
    {
        lock (_gate)
        {
            var now = UnixTime.Now(_time);
            List<SparkplugMessage>? requests = null;
            foreach (var node in _nodes.Values)
            {
                if (node.ReorderDeadline is { } deadline && now >= deadline && RebirthAfterGap(node) is { } request)
                    (requests ??= []).Add(request);
            }
            return requests ?? [];
        }
    }

    public bool IsEdgeNodeOnline(string groupId, string edgeNodeId)
    {
        lock (_gate)
            return _nodes.TryGetValue((groupId, edgeNodeId), out var node) && node.Online;
    }

    /// <summary>Whether the Fabrica device (an edge node's or a Sparkplug device's) is in a live session.</summary>
    public bool IsDeviceOnline(string deviceId)
    {
        lock (_gate)
            return _byDeviceId.TryGetValue(deviceId, out var entry) && entry.Node.Online && (entry.Device?.Online ?? true);
    }

    private SparkplugMessage? RequestRebirthLocked(string groupId, string edgeNodeId)
    {
        if (!_options.SendRebirthRequests)
            return null;
        var now = UnixTime.Now(_time);
        var node = Node(groupId, edgeNodeId, create: true);
        if (node is null)
            return null;
        if (node.LastRebirthRequest is { } last && now - last < (long)_options.RebirthRequestInterval.TotalMilliseconds)
            return null;
        node.LastRebirthRequest = now;
        _rebirths++;
        return SparkplugCommands.Rebirth(groupId, edgeNodeId, now);
    }

    /// <summary>The node's session state; null when a new one would exceed <see cref="SparkplugLimits.MaxEdgeNodes"/>.</summary>
    private EdgeNodeSession? Node(string groupId, string edgeNodeId, bool create)
    {
        if (_nodes.TryGetValue((groupId, edgeNodeId), out var node) || !create)
            return node;
        if (_nodes.Count >= _options.Limits.MaxEdgeNodes)
            return null;
        node = new EdgeNodeSession(groupId, edgeNodeId, SparkplugNaming.ToDeviceId(groupId, edgeNodeId, null, _options.IncludeGroupInDeviceId));
        _nodes.Add((groupId, edgeNodeId), node);
        return node;
    }

    private sealed class EdgeNodeSession(string groupId, string edgeNodeId, string deviceId)
    {
        public string GroupId { get; } = groupId;

        public string EdgeNodeId { get; } = edgeNodeId;

        /// <summary>The Fabrica device id of the node's own metrics.</summary>
        public string DeviceId { get; } = deviceId;

        public bool Online { get; set; }

        public long BdSeq { get; set; }

        /// <summary>The seq the next message should carry; -1 outside a session.</summary>
        public int ExpectedSeq { get; set; } = -1;

        public bool[] Missing { get; } = new bool[256];

        public int MissingCount { get; set; }

        public long? ReorderDeadline { get; set; }

        public long? LastRebirthRequest { get; set; }

        public Dictionary<ulong, MetricBinding> Aliases { get; } = [];

        public MetricTable Metrics { get; set; } = MetricTable.Empty;

        public Dictionary<string, DeviceSession> Devices { get; } = new(StringComparer.Ordinal);

        public void ClearMissing()
        {
            Array.Clear(Missing);
            MissingCount = 0;
            ReorderDeadline = null;
        }
    }

    private sealed class DeviceSession(string sparkplugId, string deviceId)
    {
        public string SparkplugId { get; } = sparkplugId;

        public string DeviceId { get; } = deviceId;

        public bool Online { get; set; }

        public MetricTable Metrics { get; set; } = MetricTable.Empty;
    }

    /// <summary>A metric a birth declared: where its samples go and how its DATA values are typed.</summary>
    private sealed record MetricBinding(string Name, string Tag, SparkplugDataType DataType, ulong? Alias, DeviceSession? Device);

    /// <summary>The metrics of one birth, by Sparkplug name and by Fabrica tag.</summary>
    private sealed class MetricTable(Dictionary<string, MetricBinding> byName, Dictionary<string, MetricBinding> byTag)
    {
        public static MetricTable Empty { get; } = new([], []);

        public Dictionary<string, MetricBinding> ByName { get; } = byName;

        public Dictionary<string, MetricBinding> ByTag { get; } = byTag;
    }
}
