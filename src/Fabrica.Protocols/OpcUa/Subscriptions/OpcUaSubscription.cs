using System.Threading.Channels;
using Fabrica.Protocols.OpcUa.Services;

namespace Fabrica.Protocols.OpcUa.Subscriptions;

/// <summary>A value change of a monitored node, with the server's status and timestamps.</summary>
public readonly record struct MonitoredValue(NodeId NodeId, DataValue Value)
{
    public Quality Quality => Value.StatusCode.ToQuality();
}

/// <summary>
/// One subscription with its monitored items (OPC 10000-4 §5.13). Values arrive in the order the server sent them,
/// each once: through <see cref="ReadAllAsync"/> or the callback given to SubscribeAsync. A bounded buffer between
/// the publish loop and the consumer makes a slow consumer slow the loop down instead of losing values.
/// </summary>
public sealed class OpcUaSubscription : IAsyncDisposable
{
    private readonly Channel<MonitoredValue> _values;
    private readonly Func<MonitoredValue, ValueTask>? _callback;
    private readonly OpcUaClient _client;
    private readonly DataValue?[] _lastDelivered;
    private readonly bool[] _removed;

    internal OpcUaSubscription(OpcUaClient client, uint subscriptionId, IReadOnlyList<NodeId> nodes, SubscriptionOptions options, double revisedPublishingInterval, Func<MonitoredValue, ValueTask>? callback)
    {
        _client = client;
        SubscriptionId = subscriptionId;
        Nodes = nodes;
        Options = options;
        RevisedPublishingInterval = TimeSpan.FromMilliseconds(revisedPublishingInterval);
        _callback = callback;
        _lastDelivered = new DataValue?[nodes.Count];
        _removed = new bool[nodes.Count];
        _values = Channel.CreateBounded<MonitoredValue>(new BoundedChannelOptions(options.BufferCapacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public uint SubscriptionId { get; internal set; }

    /// <summary>The monitored nodes; a notification's ClientHandle is the index in this list.</summary>
    public IReadOnlyList<NodeId> Nodes { get; }

    public SubscriptionOptions Options { get; internal set; }

    public TimeSpan RevisedPublishingInterval { get; internal set; }

    /// <summary>Whether the server sends notifications (SetPublishingMode); a disabled subscription sends keep-alives only.</summary>
    public bool PublishingEnabled { get; internal set; } = true;

    public IReadOnlyList<MonitoredItemCreateResult> MonitoredItems { get; internal set; } = [];

    /// <summary>Sequence number of the last notification message delivered (0 before the first).</summary>
    public uint LastSequenceNumber { get; internal set; }

    /// <summary>Notification messages fetched again with Republish after a gap.</summary>
    public int Republished { get; internal set; }

    /// <summary>Values delivered so far.</summary>
    public long Delivered { get; private set; }

    /// <summary>Values as they arrive, until the subscription or the client is disposed.</summary>
    public IAsyncEnumerable<MonitoredValue> ReadAllAsync(CancellationToken cancellationToken = default) => _values.Reader.ReadAllAsync(cancellationToken);

    internal async ValueTask DeliverAsync(NotificationMessage message, CancellationToken cancellationToken)
    {
        foreach (var change in message.DataChanges)
        {
            if (change.ClientHandle >= Nodes.Count || _removed[change.ClientHandle])
            {
                continue;
            }
            ref var last = ref _lastDelivered[change.ClientHandle];
            if (IsRepeat(last, change.Value))
            {
                Repeats++;
                continue;
            }
            last = change.Value;
            var value = new MonitoredValue(Nodes[(int)change.ClientHandle], change.Value);
            Delivered++;
            _client.CountNotification();
            if (_callback is not null)
            {
                await _callback(value).ConfigureAwait(false);
            }
            else
            {
                await _values.Writer.WriteAsync(value, cancellationToken).ConfigureAwait(false);
            }
        }
        LastSequenceNumber = message.SequenceNumber;
    }

    /// <summary>
    /// The same sample again: same value, status and source timestamp as the last one delivered for the item. Servers
    /// send one when they re-send current values after a session moved to a new channel (node-opcua does); it is
    /// not a change, so it is not delivered twice.
    /// </summary>
    private static bool IsRepeat(DataValue? last, DataValue next) =>
        last is { } previous && next.SourceTimestamp != DateTime.MinValue && previous.SourceTimestamp == next.SourceTimestamp
        && previous.SourcePicoseconds == next.SourcePicoseconds && previous.StatusCode == next.StatusCode && previous.Value == next.Value;

    /// <summary>Notifications dropped because they repeated the last sample of their item.</summary>
    public long Repeats { get; private set; }

    internal void Complete(Exception? error) => _values.Writer.TryComplete(error);

    /// <summary>Whether the monitored item of <paramref name="handle"/> was deleted (and must not be re-created).</summary>
    internal bool IsRemoved(int handle) => _removed[handle];

    internal void MarkRemoved(int handle) => _removed[handle] = true;

    internal int HandleOf(NodeId node)
    {
        for (var i = 0; i < Nodes.Count; i++)
        {
            if (Nodes[i] == node && !_removed[i])
            {
                return i;
            }
        }
        throw new ArgumentException($"{node} is not monitored by subscription {SubscriptionId}", nameof(node));
    }

    /// <summary>
    /// ModifySubscription (§5.13.3): a new publishing interval, keep-alive and lifetime counts (the rest of
    /// <paramref name="options"/> applies to items created later, e.g. after a server restart).
    /// </summary>
    public Task ModifyAsync(SubscriptionOptions options, CancellationToken cancellationToken = default) =>
        _client.ModifySubscriptionAsync(this, options, cancellationToken);

    /// <summary>SetPublishingMode (§5.13.4): pauses or resumes notifications; the server keeps sampling meanwhile.</summary>
    public Task SetPublishingEnabledAsync(bool enabled, CancellationToken cancellationToken = default) =>
        _client.SetPublishingModeAsync(this, enabled, cancellationToken);

    /// <summary>DeleteMonitoredItems (§5.12.6) for <paramref name="nodes"/>; one status per node.</summary>
    public Task<IReadOnlyList<StatusCode>> RemoveAsync(IReadOnlyList<NodeId> nodes, CancellationToken cancellationToken = default) =>
        _client.DeleteMonitoredItemsAsync(this, nodes, cancellationToken);

    /// <summary>DeleteSubscriptions (§5.13.8) for this subscription.</summary>
    public ValueTask DisposeAsync() => _client.DeleteSubscriptionAsync(this);
}
