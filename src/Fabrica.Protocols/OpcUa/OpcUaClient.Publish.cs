using Fabrica.Protocols.OpcUa.Diagnostics;
using Fabrica.Protocols.OpcUa.Services;
using Fabrica.Protocols.OpcUa.Subscriptions;

namespace Fabrica.Protocols.OpcUa;

/// <summary>
/// The publish loop (OPC 10000-4 §5.13.5): keeps a bounded number of Publish requests at the server, so that a
/// notification can go out whenever one is ready; acknowledges every message it delivered with the next Publish;
/// fills gaps in a subscription's sequence numbers with Republish (§5.13.6) before delivering what follows.
/// </summary>
public sealed partial class OpcUaClient
{
    private int _maxOutstandingPublish;

    private async Task PublishLoopAsync()
    {
        try
        {
            await PublishUntilStoppedAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task PublishUntilStoppedAsync()
    {
        await Task.Yield();
        _maxOutstandingPublish = Math.Max(1, _options.MaxOutstandingPublishRequests);
        var inFlight = new List<Task<PublishResponse>>();
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            while (inFlight.Count < _maxOutstandingPublish && !_subscriptions.IsEmpty)
            {
                inFlight.Add(PublishAsync(token));
            }
            if (inFlight.Count == 0)
            {
                await _subscriptionAdded.WaitAsync(token).ConfigureAwait(false);
                continue;
            }
            // The server answers Publish requests in the order it received them: handling them in that order keeps
            // sequence numbers ascending, so a gap is a real gap and not two responses read out of order.
            var done = inFlight[0];
            inFlight.RemoveAt(0);
            try
            {
                await HandlePublishResponseAsync(await done.ConfigureAwait(false), token).ConfigureAwait(false);
            }
            catch (OpcUaServiceException e) when (e.StatusCode.WithoutInfoBits == StatusCodes.BadTooManyPublishRequests)
            {
                _maxOutstandingPublish = Math.Max(1, inFlight.Count);
            }
            catch (OpcUaServiceException e) when (e.StatusCode.WithoutInfoBits == StatusCodes.BadNoSubscription)
            {
                // The server has nothing to publish (subscriptions being created or deleted): ask again shortly.
                await Task.Delay(50, token).ConfigureAwait(false);
            }
            catch (OpcUaServiceException e)
            {
                OpcUaLog.PublishFailed(_logger, e.StatusCode);
                // Timeouts and a lost channel: the supervisor reconnects, SendAsync waits for it, and the next
                // Publish carries on; the server keeps unacknowledged messages for Republish. A short pause keeps a
                // dead channel, before the supervisor notices it, from turning this loop into a spin.
                await Task.Delay(20, token).ConfigureAwait(false);
            }
        }
    }

    private async Task<PublishResponse> PublishAsync(CancellationToken cancellationToken)
    {
        var acknowledgements = new List<SubscriptionAcknowledgement>();
        while (acknowledgements.Count < 64 && _acknowledgements.TryDequeue(out var ack))
        {
            acknowledgements.Add(ack);
        }
        // A Publish waits at the server up to a keep-alive period; give it that on top of the request timeout.
        var longest = _subscriptions.Values.Select(s => s.RevisedPublishingInterval * s.Options.MaxKeepAliveCount).DefaultIfEmpty(TimeSpan.Zero).Max();
        OpcUaMetrics.PublishRequestsOutstanding.Add(1, _endpointTag);
        try
        {
            return await SendAsync<PublishResponse>(new PublishRequest(acknowledgements), cancellationToken, _options.Channel.RequestTimeout + (longest * 2)).ConfigureAwait(false);
        }
        finally
        {
            OpcUaMetrics.PublishRequestsOutstanding.Add(-1, _endpointTag);
        }
    }

    private async Task HandlePublishResponseAsync(PublishResponse response, CancellationToken cancellationToken)
    {
        if (!_subscriptions.TryGetValue(response.SubscriptionId, out var subscription))
        {
            return;
        }
        var message = response.NotificationMessage;
        if (message.StatusChange is { IsBad: true } status)
        {
            // StatusChangeNotification: the subscription timed out or was transferred away (§7.25.4).
            _subscriptions.TryRemove(response.SubscriptionId, out _);
            OpcUaLog.SubscriptionEnded(_logger, response.SubscriptionId, status);
            subscription.Complete(new OpcUaServiceException(status, $"subscription {response.SubscriptionId} ended"));
            return;
        }
        // A keep-alive carries the sequence number the next message will have; a data message its own.
        var expectedNext = subscription.LastSequenceNumber + 1;
        if (subscription.LastSequenceNumber != 0 && message.SequenceNumber > expectedNext)
        {
            await RepublishAsync(subscription, expectedNext, message.SequenceNumber, cancellationToken).ConfigureAwait(false);
        }
        if (message.IsKeepAlive)
        {
            return;
        }
        _acknowledgements.Enqueue(new SubscriptionAcknowledgement(response.SubscriptionId, message.SequenceNumber));
        if (subscription.LastSequenceNumber != 0 && message.SequenceNumber <= subscription.LastSequenceNumber)
        {
            return; // Already delivered (it came back through Republish first).
        }
        await subscription.DeliverAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fetches messages [from, to) that never reached us, in order, and delivers them.</summary>
    private async Task RepublishAsync(OpcUaSubscription subscription, uint from, uint to, CancellationToken cancellationToken)
    {
        for (var sequenceNumber = from; sequenceNumber < to; sequenceNumber++)
        {
            try
            {
                var republished = await SendAsync<RepublishResponse>(new RepublishRequest(subscription.SubscriptionId, sequenceNumber), cancellationToken).ConfigureAwait(false);
                subscription.Republished++;
                OpcUaMetrics.Republishes.Add(1, _endpointTag);
                OpcUaLog.Republished(_logger, sequenceNumber, subscription.SubscriptionId);
                _acknowledgements.Enqueue(new SubscriptionAcknowledgement(subscription.SubscriptionId, sequenceNumber));
                await subscription.DeliverAsync(republished.NotificationMessage, cancellationToken).ConfigureAwait(false);
            }
            catch (OpcUaServiceException e) when (e.StatusCode.WithoutInfoBits == StatusCodes.BadMessageNotAvailable)
            {
                // The server no longer has it: a real gap, which the values' timestamps show.
                OpcUaLog.MessageLost(_logger, sequenceNumber, subscription.SubscriptionId);
            }
        }
    }
}
