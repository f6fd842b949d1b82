using Fabrica.Protocols.OpcUa.Services;
using Fabrica.Protocols.OpcUa.Subscriptions;

namespace Fabrica.Protocols.OpcUa;

/// <summary>Changing a subscription after it was created (OPC 10000-4 §5.12.6, §5.13.3, §5.13.4).</summary>
public sealed partial class OpcUaClient
{
    internal async Task ModifySubscriptionAsync(OpcUaSubscription subscription, SubscriptionOptions options, CancellationToken cancellationToken)
    {
        var interval = options.PublishingInterval ?? subscription.RevisedPublishingInterval;
        var response = await SendAsync<ModifySubscriptionResponse>(
            new ModifySubscriptionRequest(subscription.SubscriptionId, interval.TotalMilliseconds, options.LifetimeCount, options.MaxKeepAliveCount, 0, 0),
            cancellationToken).ConfigureAwait(false);
        subscription.Options = options with { PublishingInterval = interval };
        subscription.RevisedPublishingInterval = TimeSpan.FromMilliseconds(response.RevisedPublishingInterval);
    }

    internal async Task SetPublishingModeAsync(OpcUaSubscription subscription, bool enabled, CancellationToken cancellationToken)
    {
        var response = await SendAsync<SetPublishingModeResponse>(new SetPublishingModeRequest(enabled, [subscription.SubscriptionId]), cancellationToken).ConfigureAwait(false);
        var status = Single(response.Results, "SetPublishingMode");
        if (status.IsBad)
        {
            throw new OpcUaServiceException(status, $"SetPublishingMode on subscription {subscription.SubscriptionId} failed");
        }
        subscription.PublishingEnabled = enabled;
    }

    internal async Task<IReadOnlyList<StatusCode>> DeleteMonitoredItemsAsync(OpcUaSubscription subscription, IReadOnlyList<NodeId> nodes, CancellationToken cancellationToken)
    {
        var handles = nodes.Select(node => subscription.HandleOf(node)).ToArray();
        var ids = handles.Select(handle => subscription.MonitoredItems[handle].MonitoredItemId).ToArray();
        var response = await SendAsync<DeleteMonitoredItemsResponse>(new DeleteMonitoredItemsRequest(subscription.SubscriptionId, ids), cancellationToken).ConfigureAwait(false);
        var results = CheckCount(response.Results, ids.Length, "DeleteMonitoredItems");
        for (var i = 0; i < handles.Length; i++)
        {
            // Good, or the server no longer has it: either way nothing more arrives for it, and a restore skips it.
            if (results[i].IsGood || results[i].WithoutInfoBits == StatusCodes.BadMonitoredItemIdInvalid)
            {
                subscription.MarkRemoved(handles[i]);
            }
        }
        return results;
    }
}
