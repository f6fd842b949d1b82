namespace Fabrica.Protocols.Sparkplug;

/// <summary>Settings of <see cref="SparkplugHostApplication"/>.</summary>
public sealed record SparkplugHostOptions
{
    /// <summary>
    /// Device ids are <c>{group}.{edge node}[.{device}]</c> when true (the default: edge node ids are unique only
    /// within a group, §4.1.4), <c>{edge node}[.{device}]</c> when false.
    /// </summary>
    public bool IncludeGroupInDeviceId { get; init; } = true;

    /// <summary>
    /// How long a missing seq may stay missing before a rebirth is requested (§5.9 "Reorder Timeout"). Zero, the
    /// default, requests it at the first gap; that suits one broker, which delivers in order.
    /// </summary>
    public TimeSpan ReorderTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>Whether this host sends Rebirth requests at all (a non-primary host may not, §5.9).</summary>
    public bool SendRebirthRequests { get; init; } = true;

    /// <summary>At most one Rebirth request per edge node in this interval, unless a new NBIRTH arrived.</summary>
    public TimeSpan RebirthRequestInterval { get; init; } = TimeSpan.FromSeconds(5);

    public SparkplugLimits Limits { get; init; } = SparkplugLimits.Default;
}

public enum SparkplugHostEventKind
{
    EdgeNodeOnline,
    EdgeNodeOffline,
    DeviceOnline,
    DeviceOffline,
}

/// <summary>
/// A change of session state: an NBIRTH, a matching NDEATH, a DBIRTH or a DDEATH. <see cref="DeviceId"/> is the
/// Fabrica device id (the node's own for node events); <see cref="Tags"/> lists the tags a birth declared.
/// </summary>
public sealed record SparkplugHostEvent(
    SparkplugHostEventKind Kind,
    string GroupId,
    string EdgeNodeId,
    string? SparkplugDeviceId,
    string DeviceId,
    long Timestamp,
    IReadOnlyList<string> Tags);

/// <summary>What one received message changed: samples to store, session events, and a Rebirth request to publish.</summary>
public sealed record SparkplugHostUpdate(IReadOnlyList<SeriesSample> Samples, IReadOnlyList<SparkplugHostEvent> Events, SparkplugMessage? RebirthRequest)
{
    /// <summary>
    /// Samples of metrics marked <c>is_historical</c> (§6.4.6: an edge's store-and-forward backfill): to be stored at
    /// their own timestamps but, unlike <see cref="Samples"/>, not treated as current values (no real-time rules).
    /// </summary>
    public IReadOnlyList<SeriesSample> Historical { get; init; } = [];

    public static SparkplugHostUpdate Empty { get; } = new([], [], null);
}

/// <summary>Counters of a host application since it started.</summary>
public sealed record SparkplugHostStatistics
{
    public long Messages { get; init; }

    public long Samples { get; init; }

    /// <summary>Messages whose seq was not the one expected (a gap opened).</summary>
    public long SequenceGaps { get; init; }

    /// <summary>Messages that arrived late or twice (a seq behind the expected one).</summary>
    public long OutOfOrder { get; init; }

    /// <summary>NDATA, DBIRTH, DDATA or DDEATH from an edge node or device without a birth in this session.</summary>
    public long DataBeforeBirth { get; init; }

    /// <summary>NDEATHs whose bdSeq did not match the current session (an old Will), ignored as §5.5 requires.</summary>
    public long StaleDeaths { get; init; }

    public long RebirthRequests { get; init; }

    /// <summary>Messages on ignored topics: STATE, NCMD and DCMD from other hosts.</summary>
    public long Ignored { get; init; }
}
