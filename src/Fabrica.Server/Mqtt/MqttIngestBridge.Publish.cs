using System.Collections.Concurrent;
using Fabrica.Platform.Ingest;
using Fabrica.Protocols.Sparkplug;
using Fabrica.Security.Principals;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Fabrica.Server.Mqtt;

/// <summary>PUBLISH handling: telemetry to ingest, edge status to the status board, everything else refused.</summary>
internal sealed partial class MqttIngestBridge
{
    private async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        // Messages the platform itself injects (error reports, edge configs) have no client session.
        if (e.SessionItems?[PrincipalItem] is not FabricaPrincipal principal)
            return;
        var message = e.ApplicationMessage;
        e.ProcessPublish = false;
        if (message.Topic.StartsWith(SparkplugTopic.Namespace + "/", StringComparison.Ordinal))
        {
            await InterceptSparkplugAsync(e, principal).ConfigureAwait(false);
            return;
        }
        PlatformTopics.TryParse(message.Topic, out var owner, out var id, out var rest);
        switch (owner, rest)
        {
            case (TopicOwner.Device, PlatformTopics.Telemetry):
            case (TopicOwner.Device, PlatformTopics.Backfill):
                var claimed = (ConcurrentDictionary<string, bool>)e.SessionItems[ClaimedItem]!;
                if (await ownership.MayPublishAsync(principal, id, claimed, (string)e.SessionItems[SourceItem]!, e.CancellationToken).ConfigureAwait(false))
                {
                    await IngestAsync(e, id, rest == PlatformTopics.Backfill ? IngestTransport.MqttBackfill : IngestTransport.Mqtt).ConfigureAwait(false);
                    return;
                }
                break;
            case (TopicOwner.Device, _) when MqttCommandChannel.TryParseResultTopic(message.Topic, out var device, out var command):
                var owned = (ConcurrentDictionary<string, bool>)e.SessionItems[ClaimedItem]!;
                if (principal.CanPublishFor(device) || owned.ContainsKey(device))
                {
                    // A device's answer to a command (docs/models.md): the command service matches it to the request.
                    await commands.AcceptResultAsync(device, command, message.Payload, e.CancellationToken).ConfigureAwait(false);
                    e.Response.ReasonCode = MqttPubAckReasonCode.Success;
                    return;
                }
                break;
            case (TopicOwner.Edge, PlatformTopics.Status) when principal.Kind == PrincipalKind.Gateway && principal.Id == id:
                edges.Report(id, message.Payload.IsSingleSegment ? message.Payload.FirstSpan : System.Buffers.BuffersExtensions.ToArray(message.Payload));
                // Let the broker keep it (retained) and pass it to subscribers such as a console.
                e.ProcessPublish = true;
                return;
            case (TopicOwner.Edge, _) when PlatformTopics.IsEvents(rest) && principal.Kind == PrincipalKind.Gateway && principal.Id == id:
                // An edge rule's event (docs/edge.md, "Edge rules"): logged and kept, and passed on to subscribers.
                edges.RecordEvent(id, message.Topic, message.Payload.IsSingleSegment ? message.Payload.FirstSpan : System.Buffers.BuffersExtensions.ToArray(message.Payload));
                e.ProcessPublish = true;
                e.Response.ReasonCode = MqttPubAckReasonCode.Success;
                return;
        }
        metrics.PublishDenied();
        LogPublishDenied(logger, principal.Actor, message.Topic);
        Refuse(e, MqttPubAckReasonCode.NotAuthorized, $"{principal.Actor} may not publish to {message.Topic}: see docs/ingest.md for the topics it may use.");
    }

    private async Task IngestAsync(InterceptingPublishEventArgs e, string deviceId, IngestTransport transport)
    {
        IngestOutcome outcome;
        try
        {
            outcome = await ingest.IngestAsync(deviceId, e.ApplicationMessage.Payload, transport, e.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Not durable, so no PUBACK — also when the write was cancelled because the server is stopping: an
            // exception escaping the interceptor must never end in a success acknowledgement. Closing the connection
            // makes a QoS 1 client resend after reconnecting; an MQTT 5 client that still sees a PUBACK sees a failure.
            if (ex is not OperationCanceledException)
                LogStoreFailed(logger, ex, deviceId);
            e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
            e.CloseConnection = true;
            if (DeliveryTrace.Enabled)
                LogTraceNotStored(logger, e.ClientId, e.ApplicationMessage.Topic, ex.GetType().Name + ": " + ex.Message, DeliveryTrace.Excerpt(e.ApplicationMessage.Payload));
            return;
        }
        if (outcome.Error is { } error)
        {
            // MQTT 5 gets 0x99 with the reason; 3.1.1 has no PUBACK reason code, so it gets a plain PUBACK (no endless
            // resending) and, like every client, the report on its errors topic.
            if (IsMqtt5(e))
            {
                e.Response.ReasonCode = MqttPubAckReasonCode.PayloadFormatInvalid;
                e.Response.ReasonString = Truncate(error.Message);
            }
            await PublishErrorAsync(deviceId, error.ToUtf8Json()).ConfigureAwait(false);
            if (DeliveryTrace.Enabled)
                LogTraceRejected(logger, e.ClientId, e.ApplicationMessage.Topic, error.Message, DeliveryTrace.Excerpt(e.ApplicationMessage.Payload));
            return;
        }
        e.Response.ReasonCode = MqttPubAckReasonCode.Success;
        if (DeliveryTrace.Enabled)
            LogTraceStored(logger, e.ClientId, e.ApplicationMessage.Topic, outcome.AcceptedSamples, DeliveryTrace.Excerpt(e.ApplicationMessage.Payload));
    }

    private Task PublishErrorAsync(string deviceId, byte[] report)
    {
        var server = _server ?? throw new InvalidOperationException("The bridge is not attached to a broker.");
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(PlatformTopics.ErrorsOf(deviceId))
            .WithPayload(report)
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        return server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = "fabrica" }, CancellationToken.None);
    }

    private static void Refuse(InterceptingPublishEventArgs e, MqttPubAckReasonCode code, string reason)
    {
        if (IsMqtt5(e))
        {
            e.Response.ReasonCode = code;
            e.Response.ReasonString = reason;
        }
        else
        {
            // MQTT 3.1.1 cannot say "refused" in a PUBACK; closing the connection is its only signal.
            e.CloseConnection = true;
        }
    }

    private static string Truncate(string text) => text.Length <= 256 ? text : text[..256];

    [LoggerMessage(EventId = 4050, Level = LogLevel.Information, Message = "trace: {ClientId} {Topic}: {Samples} samples stored, PUBACK Success: {Payload}")]
    private static partial void LogTraceStored(ILogger logger, string clientId, string topic, int samples, string payload);

    [LoggerMessage(EventId = 4051, Level = LogLevel.Information, Message = "trace: {ClientId} {Topic}: rejected ({Reason}): {Payload}")]
    private static partial void LogTraceRejected(ILogger logger, string clientId, string topic, string reason, string payload);

    [LoggerMessage(EventId = 4052, Level = LogLevel.Information, Message = "trace: {ClientId} {Topic}: not stored ({Reason}), connection closed without PUBACK: {Payload}")]
    private static partial void LogTraceNotStored(ILogger logger, string clientId, string topic, string reason, string payload);
}
