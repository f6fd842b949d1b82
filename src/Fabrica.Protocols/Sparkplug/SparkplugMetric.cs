namespace Fabrica.Protocols.Sparkplug;

/// <summary>The Sparkplug quality codes of the metric property <c>Quality</c> (Sparkplug 3.0 §6.4.9).</summary>
public enum SparkplugQuality
{
    Bad = 0,
    Good = 192,
    Stale = 500,
}

/// <summary>
/// One metric of a Sparkplug B payload (Sparkplug 3.0 §6.4.6). Births carry <see cref="Name"/> and, when aliases
/// are used, <see cref="Alias"/>; DATA and CMD messages then carry only the alias. The datatype travels in
/// <see cref="Value"/>; a value with <see cref="SparkplugDataType.Unknown"/> is written without a datatype.
/// </summary>
public sealed record SparkplugMetric(string? Name, ulong? Alias, long? Timestamp, SparkplugValue Value)
{
    public SparkplugDataType DataType => Value.DataType;

    /// <summary>Historical data (store and forward): not the current value (§6.4.6 is_historical).</summary>
    public bool IsHistorical { get; init; }

    /// <summary>Of interest now but not to be stored by historians (§6.4.6 is_transient).</summary>
    public bool IsTransient { get; init; }

    /// <summary>The <c>Quality</c> property, when present; absent means Good (§6.4.9).</summary>
    public SparkplugQuality? Quality { get; init; }

    public static SparkplugMetric Named(string name, SparkplugValue value, long? timestamp = null) => new(name, null, timestamp, value);

    public static SparkplugMetric Aliased(ulong alias, SparkplugValue value, long? timestamp = null) => new(null, alias, timestamp, value);

    /// <summary>How people and errors refer to this metric: its name, else its alias.</summary>
    public string Label => Name ?? (Alias is { } alias ? $"alias {alias}" : "an unnamed metric");
}

/// <summary>
/// A Sparkplug B payload (Sparkplug 3.0 §6.4.5): send time, sequence number 0–255 (absent only in NDEATH and
/// commands), metrics, and the rarely used uuid and body.
/// </summary>
public sealed record SparkplugPayload(long? Timestamp, byte? Seq, IReadOnlyList<SparkplugMetric> Metrics)
{
    public string? Uuid { get; init; }

    public ReadOnlyMemory<byte>? Body { get; init; }
}

/// <summary>What a decoder accepts before it allocates: checked against the wire before the work is done.</summary>
public sealed record SparkplugLimits
{
    public static SparkplugLimits Default { get; } = new();

    /// <summary>Largest payload decoded; MQTT allows 256 MB, Sparkplug traffic is far smaller.</summary>
    public int MaxPayloadBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Most metrics in one payload (a birth lists every metric of a node or device).</summary>
    public int MaxMetrics { get; init; } = 65_536;

    /// <summary>Longest metric name, in UTF-16 code units.</summary>
    public int MaxNameLength { get; init; } = 1024;

    /// <summary>Most metrics one edge node (with all its devices) may declare in its births, for the host's alias tables.</summary>
    public int MaxMetricsPerEdgeNode { get; init; } = 100_000;

    /// <summary>Most devices one edge node may announce.</summary>
    public int MaxDevicesPerEdgeNode { get; init; } = 10_000;

    /// <summary>Most edge nodes one host application tracks.</summary>
    public int MaxEdgeNodes { get; init; } = 10_000;
}

/// <summary>An MQTT message to publish, with the QoS and retain flag Sparkplug 3.0 prescribes for its type.</summary>
public sealed record SparkplugMessage(SparkplugTopic Topic, byte[] Payload, int QualityOfService, bool Retain)
{
    public string TopicName => Topic.ToString();
}
