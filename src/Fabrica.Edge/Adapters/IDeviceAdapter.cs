using Fabrica.Edge.Configuration;

namespace Fabrica.Edge.Adapters;

/// <summary>
/// The edge's connection to one device (a Modbus TCP server, an OPC UA server…). The runtime calls it from one
/// polling loop per device, so <see cref="ReadAsync"/> calls never overlap; <see cref="WriteAsync"/> (edge rules)
/// may run concurrently with a read.
/// <para>
/// Contract: a read that fails for the whole device (socket closed, timeout) throws; the runtime then marks the
/// tags bad, calls <see cref="ConnectAsync"/> again with back-off, and keeps every other device on its schedule. A
/// read that fails for one tag (Modbus exception 02, OPC UA BadNodeIdUnknown) returns that tag's reading with
/// <see cref="Quality.Bad"/> and no value. Cancellation of a read means the runtime gave up (read timeout).
/// </para>
/// </summary>
public interface IDeviceAdapter : IAsyncDisposable
{
    /// <summary>The connection state, shown in the edge's status report.</summary>
    DeviceState State { get; }

    /// <summary>The last failure in words a person can act on, or null.</summary>
    string? LastError { get; }

    /// <summary>Connects, or drops a broken connection and connects again. Called before the first read and after a failed one.</summary>
    ValueTask ConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads <paramref name="tags"/> (one poll group of the device, in configuration order) into
    /// <paramref name="readings"/> (same length and order). Raw values: the runtime applies scaling and deadbands.
    /// </summary>
    ValueTask ReadAsync(IReadOnlyList<TagOptions> tags, Memory<TagReading> readings, CancellationToken cancellationToken = default);

    /// <summary>Writes a raw value to a tag (edge rules, commands). Throws if the device refuses it.</summary>
    ValueTask WriteAsync(TagOptions tag, SampleValue value, CancellationToken cancellationToken = default);
}

/// <summary>Connection state of a device as the edge sees it.</summary>
public enum DeviceState
{
    Disconnected = 0,
    Connecting = 1,
    Connected = 2,

    /// <summary>The last connect or read failed; the runtime retries with back-off.</summary>
    Faulted = 3,
}

/// <summary>
/// One value read from a device: raw (unscaled), with its quality and, when the device provides one, its own
/// timestamp (UTC Unix ms; otherwise the edge stamps the time of the read). A bad reading may carry no value.
/// </summary>
public readonly record struct TagReading(SampleValue Value, Quality Quality = Quality.Good, long? SourceTimestamp = null)
{
    /// <summary>The tag could not be read.</summary>
    public static TagReading Bad => new(default, Quality.Bad);

    public bool HasValue => Value.Kind != 0;
}
