using System.Threading.Channels;
using Fabrica.Edge.Configuration;
using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Subscriptions;

namespace Fabrica.Edge.Adapters.OpcUa;

internal sealed partial class OpcUaDeviceAdapter
{
    /// <summary>Marks every tag bad (a delivery with this index): the server stayed unreachable longer than the read timeout.</summary>
    private const int AllBad = -1;

    private volatile ChannelWriter<Delivery>? _deliveries;
    private volatile ITagReadingReceiver? _receiver;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _refusedTags = new(StringComparer.Ordinal);
    private int _outage;

    /// <summary>
    /// Resolves the tags' nodes, creates one subscription per sampling interval, deadband and queue size (OPC 10000-4
    /// §5.13.2, §5.12.2) and delivers every value to <paramref name="receiver"/> from one loop, in the order the server
    /// sent them. The publish loop hands values over through a bounded channel, so a slow pipeline slows publishing
    /// down instead of losing values. Runs until cancelled; the client itself survives connection losses.
    /// </summary>
    public async Task RunSubscriptionAsync(IReadOnlyList<TagOptions> tags, ITagReadingReceiver receiver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(receiver);
        var client = _client ?? throw new InvalidOperationException($"Not connected to {_deviceId}.");
        var channel = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _deliveries = channel.Writer;
        _receiver = receiver;
        _refusedTags.Clear();
        var subscriptions = new List<OpcUaSubscription>();
        try
        {
            var nodes = new NodeId?[tags.Count];
            for (var i = 0; i < tags.Count; i++)
            {
                try
                {
                    nodes[i] = (await ResolveAsync(client, tags[i].Name, cancellationToken).ConfigureAwait(false)).NodeId;
                }
                catch (OpcUaServiceException e)
                {
                    Refuse(receiver, i, tags[i].Name, $"{_config.Tags[tags[i].Name].Address}: {e.Message}");
                }
            }

            foreach (var group in Enumerable.Range(0, tags.Count).Where(i => nodes[i] is not null)
                .GroupBy(i => (_config.Tags[tags[i].Name].SamplingInterval, _config.Tags[tags[i].Name].Filter, _config.Tags[tags[i].Name].QueueSize)))
            {
                var (interval, filter, queueSize) = group.Key;
                var byNode = group.GroupBy(i => nodes[i]!.Value).ToDictionary(g => g.Key, g => g.ToArray());
                var monitored = byNode.Keys.ToArray();
                var options = new SubscriptionOptions
                {
                    PublishingInterval = _config.Settings.PublishingInterval ?? interval,
                    QueueSize = queueSize ?? _config.Settings.QueueSize,
                    Filter = filter,
                };
                var writer = channel.Writer;
                var subscription = await client.SubscribeAsync(monitored, interval, value => writer.WriteAsync(new Delivery(byNode[value.NodeId], value.Value), CancellationToken.None),
                    options, cancellationToken).ConfigureAwait(false);
                subscriptions.Add(subscription);
                for (var m = 0; m < monitored.Length && m < subscription.MonitoredItems.Count; m++)
                {
                    var status = subscription.MonitoredItems[m].StatusCode;
                    if (status.IsBad)
                    {
                        foreach (var i in byNode[monitored[m]])
                            Refuse(receiver, i, tags[i].Name, $"{monitored[m]}: the server refused to monitor it ({status})");
                    }
                }
            }
            Log.Subscribed(_logger, _deviceId, nodes.Count(n => n is not null), subscriptions.Count);

            await foreach (var delivery in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                Deliver(receiver, tags, delivery);
        }
        finally
        {
            _deliveries = null;
            _receiver = null;
            foreach (var subscription in subscriptions)
                await DeleteQuietlyAsync(subscription).ConfigureAwait(false);
        }
    }

    private void Deliver(ITagReadingReceiver receiver, IReadOnlyList<TagOptions> tags, Delivery delivery)
    {
        if (delivery.Tags is null)
        {
            for (var i = 0; i < tags.Count; i++)
                receiver.OnReading(i, TagReading.Bad);
            return;
        }
        var reading = OpcUaValues.ToReading(delivery.Value, _config.Settings.Timestamps, out var refused);
        foreach (var i in delivery.Tags)
        {
            if (refused is not null)
                Refuse(receiver, i, tags[i].Name, refused, reading);
            else
                receiver.OnReading(i, reading);
        }
    }

    /// <summary>A tag the server cannot give us (unknown node, refused item, a value that is no sample): bad, logged, counted, named in lastError.</summary>
    private void Refuse(ITagReadingReceiver receiver, int index, string tag, string reason, TagReading? reading = null)
    {
        _lastError = $"tag {tag}: {reason}";
        OpcUaAdapterMetrics.Refused.Add(1);
        receiver.OnReading(index, reading ?? TagReading.Bad);
        if (_refusedTags.TryAdd(tag, reason))
        {
            // once per tag and connection: a node that keeps sending arrays must not flood the log
            Log.TagRefused(_logger, _deviceId, tag, reason);
            receiver.OnStateChanged();
        }
    }

    private void OnConnectionLost(Exception? error)
    {
        _state = (int)DeviceState.Connecting;
        _lastError = $"connection to {_config.Settings.Endpoint} lost{(error is null ? "" : ": " + error.Message)}; reconnecting";
        Log.ConnectionLost(_logger, _deviceId, _lastError);
        _receiver?.OnStateChanged();
        var outage = Interlocked.Increment(ref _outage);
        _ = MarkBadIfStillDownAsync(outage);
    }

    private void OnReconnected(bool sessionSurvived)
    {
        Interlocked.Increment(ref _outage);
        _state = (int)DeviceState.Connected;
        _lastError = null;
        Log.Reconnected(_logger, _deviceId, sessionSurvived);
        _receiver?.OnStateChanged();
    }

    /// <summary>
    /// A short drop costs nothing (the server queues values and the client fetches them), so tags go bad only when the
    /// server stays unreachable longer than the device's read timeout. Values queued meanwhile still arrive later.
    /// </summary>
    private async Task MarkBadIfStillDownAsync(int outage)
    {
        try
        {
            await Task.Delay(_badAfter, _context.Time).ConfigureAwait(false);
            if (Volatile.Read(ref _outage) == outage && _deliveries is { } writer)
                await writer.WriteAsync(new Delivery(null, default)).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // the subscription run ended meanwhile
        }
    }

    private static async ValueTask DeleteQuietlyAsync(OpcUaSubscription subscription)
    {
        try
        {
            // Bounded: stopping the edge must not wait for a server that no longer answers.
            await subscription.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OpcUaServiceException or IOException or ObjectDisposedException or OperationCanceledException or TimeoutException)
        {
            // the connection is gone; the server deletes the subscription when the session ends
        }
    }

    /// <summary>A value for the tags at <paramref name="Tags"/> (indexes in the run's tag list); null tags: mark all bad.</summary>
    private readonly record struct Delivery(int[]? Tags, DataValue Value);
}
