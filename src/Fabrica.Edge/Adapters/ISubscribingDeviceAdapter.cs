using Fabrica.Edge.Configuration;

namespace Fabrica.Edge.Adapters;

/// <summary>
/// A device that reports its values itself (OPC UA subscriptions) instead of being polled. The runtime connects it
/// with the same back-off as a polled device and then hands it the device's tags and a receiver; the adapter delivers
/// every value the device reports, in order, until the token is cancelled or the device fails for good (then it
/// throws, and the runtime marks the tags bad and connects again). A subscription keeps no poll schedule: each
/// reading carries the device's timestamp, and a quiet value produces no readings.
/// </summary>
public interface ISubscribingDeviceAdapter : IDeviceAdapter
{
    /// <summary>
    /// Subscribes to <paramref name="tags"/> (all tags of the device, in configuration order) and delivers readings to
    /// <paramref name="receiver"/> by tag index, one at a time (never concurrently), until cancelled or failed.
    /// </summary>
    Task RunSubscriptionAsync(IReadOnlyList<TagOptions> tags, ITagReadingReceiver receiver, CancellationToken cancellationToken);
}

/// <summary>Where a subscribing adapter delivers: the device's tag pipelines, rules and buffer.</summary>
public interface ITagReadingReceiver
{
    /// <summary>One reading of the tag at <paramref name="tagIndex"/> (the index in the tag list the adapter was given).</summary>
    void OnReading(int tagIndex, TagReading reading);

    /// <summary>The adapter's <see cref="IDeviceAdapter.State"/> or <see cref="IDeviceAdapter.LastError"/> changed (for the status report).</summary>
    void OnStateChanged();
}

/// <summary>
/// A device that runs named operations as platform commands (OPC UA methods). The edge routes a command addressed to
/// the device to the adapter; the result (any JSON) becomes the command's result.
/// </summary>
public interface ICommandDeviceAdapter : IDeviceAdapter
{
    /// <summary>The command names the device's configuration declares.</summary>
    IReadOnlyCollection<string> Commands { get; }

    /// <summary>Runs <paramref name="name"/> with <paramref name="args"/>; throws with a reason a person can act on if refused.</summary>
    ValueTask<System.Text.Json.JsonElement> ExecuteAsync(string name, System.Text.Json.JsonElement args, CancellationToken cancellationToken = default);
}
