using System.Collections.Concurrent;
using Fabrica.Protocols.OpcUa.Diagnostics;
using Fabrica.Protocols.OpcUa.Services;
using Fabrica.Protocols.OpcUa.Subscriptions;

namespace Fabrica.Protocols.OpcUa;

/// <summary>Subscriptions and the publish loop (OPC 10000-4 §5.12, §5.13).</summary>
public sealed partial class OpcUaClient
{
    private readonly ConcurrentQueue<SubscriptionAcknowledgement> _acknowledgements = new();
    private readonly SemaphoreSlim _subscriptionAdded = new(0);
    private readonly object _publishLoopGate = new();
    private Task _publishLoop = Task.CompletedTask;

    /// <summary>Subscribes to value changes of <paramref name="nodes"/>; read them with <see cref="OpcUaSubscription.ReadAllAsync"/>.</summary>
    public Task<OpcUaSubscription> SubscribeAsync(IReadOnlyList<NodeId> nodes, TimeSpan samplingInterval, SubscriptionOptions? options = null, CancellationToken cancellationToken = default) =>
        SubscribeCoreAsync(nodes, samplingInterval, options ?? new SubscriptionOptions(), null, cancellationToken);

    /// <summary>Subscribes and calls <paramref name="onValue"/> for every value change, in order, from the publish loop.</summary>
    public Task<OpcUaSubscription> SubscribeAsync(IReadOnlyList<NodeId> nodes, TimeSpan samplingInterval, Func<MonitoredValue, ValueTask> onValue, SubscriptionOptions? options = null, CancellationToken cancellationToken = default) =>
        SubscribeCoreAsync(nodes, samplingInterval, options ?? new SubscriptionOptions(), onValue, cancellationToken);

    private async Task<OpcUaSubscription> SubscribeCoreAsync(IReadOnlyList<NodeId> nodes, TimeSpan samplingInterval, SubscriptionOptions options, Func<MonitoredValue, ValueTask>? callback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var publishing = (options.PublishingInterval ?? samplingInterval).TotalMilliseconds;
        var created = await SendAsync<CreateSubscriptionResponse>(
            new CreateSubscriptionRequest(publishing, options.LifetimeCount, options.MaxKeepAliveCount, 0, 0), cancellationToken).ConfigureAwait(false);
        var subscription = new OpcUaSubscription(this, created.SubscriptionId, nodes.ToArray(), options, created.RevisedPublishingInterval, callback);
        subscription.MonitoredItems = await CreateMonitoredItemsAsync(subscription, samplingInterval, cancellationToken).ConfigureAwait(false);
        _subscriptions[subscription.SubscriptionId] = subscription;
        EnsurePublishLoop();
        _subscriptionAdded.Release();
        return subscription;
    }

    private async Task<MonitoredItemCreateResult[]> CreateMonitoredItemsAsync(OpcUaSubscription subscription, TimeSpan samplingInterval, CancellationToken cancellationToken)
    {
        var items = subscription.Nodes
            .Select((node, index) => new MonitoredItemCreateRequest(new ReadValueId(node), (uint)index, samplingInterval.TotalMilliseconds, subscription.Options.Filter, subscription.Options.QueueSize))
            .ToArray();
        var response = await SendAsync<CreateMonitoredItemsResponse>(
            new CreateMonitoredItemsRequest(subscription.SubscriptionId, TimestampsToReturn.Both, items), cancellationToken).ConfigureAwait(false);
        return CheckCount(response.Results, items.Length, "CreateMonitoredItems");
    }

    internal async ValueTask DeleteSubscriptionAsync(OpcUaSubscription subscription)
    {
        if (!_subscriptions.TryRemove(subscription.SubscriptionId, out _))
        {
            return;
        }
        subscription.Complete(null);
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        try
        {
            await SendAsync<DeleteSubscriptionsResponse>(new DeleteSubscriptionsRequest([subscription.SubscriptionId]), _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OpcUaServiceException or OperationCanceledException)
        {
            // Gone with the session anyway.
        }
    }

    /// <summary>
    /// After a new session replaced a lost one: TransferSubscriptions (§5.13.7) moves ours over; those the server
    /// no longer has are created again.
    /// </summary>
    private async Task RestoreSubscriptionsAsync(CancellationToken cancellationToken)
    {
        var subscriptions = _subscriptions.Values.ToArray();
        if (subscriptions.Length == 0)
        {
            return;
        }
        var ids = subscriptions.Select(s => s.SubscriptionId).ToArray();
        var transferred = new TransferSubscriptionsResponse(null!, []);
        try
        {
            transferred = await _channel.SendRequestAsync<TransferSubscriptionsResponse>(new TransferSubscriptionsRequest(ids, SendInitialValues: false), _session.AuthenticationToken, cancellationToken).ConfigureAwait(false);
        }
        catch (OpcUaServiceException)
        {
            // Not supported or nothing to transfer: create them all again.
        }
        for (var i = 0; i < subscriptions.Length; i++)
        {
            if (i < transferred.Results.Length && transferred.Results[i].Status.IsGood)
            {
                OpcUaLog.SubscriptionRestored(_logger, subscriptions[i].SubscriptionId, subscriptions[i].SubscriptionId, "transferred");
                continue;
            }
            var subscription = subscriptions[i];
            var options = subscription.Options;
            var created = await _channel.SendRequestAsync<CreateSubscriptionResponse>(
                new CreateSubscriptionRequest(subscription.RevisedPublishingInterval.TotalMilliseconds, options.LifetimeCount, options.MaxKeepAliveCount, 0, 0, subscription.PublishingEnabled),
                _session.AuthenticationToken, cancellationToken).ConfigureAwait(false);
            _subscriptions.TryRemove(subscription.SubscriptionId, out _);
            OpcUaLog.SubscriptionRestored(_logger, subscription.SubscriptionId, created.SubscriptionId, "created again");
            subscription.SubscriptionId = created.SubscriptionId;
            subscription.LastSequenceNumber = 0;
            _subscriptions[created.SubscriptionId] = subscription;
            var sampling = subscription.MonitoredItems.FirstOrDefault()?.RevisedSamplingInterval ?? subscription.RevisedPublishingInterval.TotalMilliseconds;
            var handles = Enumerable.Range(0, subscription.Nodes.Count).Where(h => !subscription.IsRemoved(h)).ToArray();
            var items = handles
                .Select(handle => new MonitoredItemCreateRequest(new ReadValueId(subscription.Nodes[handle]), (uint)handle, sampling, options.Filter, options.QueueSize))
                .ToArray();
            var response = await _channel.SendRequestAsync<CreateMonitoredItemsResponse>(
                new CreateMonitoredItemsRequest(created.SubscriptionId, TimestampsToReturn.Both, items), _session.AuthenticationToken, cancellationToken).ConfigureAwait(false);
            // MonitoredItems stays indexed by client handle: removed items keep their old (now meaningless) entries.
            var results = subscription.MonitoredItems.ToArray();
            for (var j = 0; j < handles.Length && j < response.Results.Length; j++)
            {
                results[handles[j]] = response.Results[j];
            }
            subscription.MonitoredItems = results;
        }
    }

    private void EnsurePublishLoop()
    {
        lock (_publishLoopGate)
        {
            if (_publishLoop.IsCompleted)
            {
                _publishLoop = PublishLoopAsync();
            }
        }
    }
}
