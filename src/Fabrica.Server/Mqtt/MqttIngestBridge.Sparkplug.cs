using System.Collections.Concurrent;
using Fabrica.Platform.Ingest;
using Fabrica.Protocols.Sparkplug;
using Fabrica.Security.Principals;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Fabrica.Server.Mqtt;

/// <summary>
/// Sparkplug B ingest (issue 3): the platform is the Sparkplug host application. An edge publishes under
/// <c>spBv1.0/{group}/{type}/{edge node}[/{device}]</c> with its edge node id equal to its Fabrica edge id; births
/// declare devices, which the edge then owns (registered on first sight as with JSON); data is stored like any other
/// telemetry; a gap or unknown alias makes the host ask for a rebirth (NCMD). Devices map to
/// <c>{group}.{edge node}.{device}</c> (docs/sparkplug.md).
/// </summary>
internal sealed partial class MqttIngestBridge
{
    private async Task InterceptSparkplugAsync(InterceptingPublishEventArgs e, FabricaPrincipal principal)
    {
        var message = e.ApplicationMessage;
        if (!SparkplugTopic.TryParse(message.Topic, out var topic, out _) || topic.IsState
            || principal.Kind != PrincipalKind.Gateway || topic.EdgeNodeId != principal.Id
            || topic.MessageType is SparkplugMessageType.NCMD or SparkplugMessageType.DCMD)
        {
            metrics.PublishDenied();
            LogPublishDenied(logger, principal.Actor, message.Topic);
            Refuse(e, MqttPubAckReasonCode.NotAuthorized, $"{principal.Actor} may publish Sparkplug only as edge node '{principal.Id}'.");
            return;
        }

        SparkplugHostUpdate update;
        try
        {
            update = sparkplug.Receive(message.Topic, message.Payload.IsSingleSegment ? message.Payload.FirstSpan : System.Buffers.BuffersExtensions.ToArray(message.Payload));
        }
        catch (SparkplugProtocolException ex)
        {
            metrics.SparkplugRejected();
            LogSparkplugRejected(logger, principal.Actor, message.Topic, ex.Message);
            if (IsMqtt5(e))
            {
                e.Response.ReasonCode = MqttPubAckReasonCode.PayloadFormatInvalid;
                e.Response.ReasonString = Truncate(ex.Message);
            }
            if (topic.GroupId is { } group && sparkplug.RequestRebirth(group, topic.EdgeNodeId!) is { } rebirth)
                await PublishAsync(rebirth).ConfigureAwait(false);
            return;
        }

        var claimed = (ConcurrentDictionary<string, bool>)e.SessionItems[ClaimedItem]!;
        var source = (string)e.SessionItems[SourceItem]!;
        // DBIRTH (a DeviceOnline event) claims a device as JSON telemetry does; data and backfill need it owned.
        foreach (var device in update.Samples.Concat(update.Historical).Select(s => s.Series.Device).Concat(update.Events.Select(ev => ev.DeviceId)).Distinct())
        {
            if (!await ownership.MayPublishAsync(principal, device, claimed, source, e.CancellationToken).ConfigureAwait(false))
            {
                metrics.PublishDenied();
                LogPublishDenied(logger, principal.Actor, $"{message.Topic} (device {device})");
                Refuse(e, MqttPubAckReasonCode.NotAuthorized, $"{principal.Actor} does not own device '{device}'.");
                return;
            }
        }
        // is_historical metrics are an edge's store-and-forward backfill: stored at their timestamps like the JSON
        // …/telemetry/backfill topic, and like it kept away from real-time rules (docs/sparkplug.md, "Backfill").
        foreach (var (samples, transport) in new[] { (update.Historical, IngestTransport.MqttBackfill), (update.Samples, IngestTransport.Sparkplug) })
        {
            if (samples.Count == 0)
                continue;
            IngestOutcome outcome;
            try
            {
                outcome = await ingest.IngestDecodedAsync(principal.Id, samples, transport, e.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // As for JSON telemetry: nothing that was not stored is ever acknowledged as a success.
                if (ex is not OperationCanceledException)
                    LogStoreFailed(logger, ex, principal.Id);
                e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
                e.CloseConnection = true;
                return;
            }
            if (outcome.Error is { } error && IsMqtt5(e))
            {
                e.Response.ReasonCode = MqttPubAckReasonCode.PayloadFormatInvalid;
                e.Response.ReasonString = Truncate(error.Message);
                return;
            }
        }
        // A stored value that a platform write awaited completes that command (docs/sparkplug.md, "Commands").
        if (update.Samples.Count > 0)
            await commands.ObserveSparkplugDataAsync(update.Samples, e.CancellationToken).ConfigureAwait(false);
        if (update.RebirthRequest is { } request)
            await PublishAsync(request).ConfigureAwait(false);
        e.Response.ReasonCode = MqttPubAckReasonCode.Success;
    }

    /// <summary>Edges may subscribe to their own commands and to host STATE.</summary>
    private static bool MaySubscribeSparkplug(FabricaPrincipal principal, string filter)
    {
        var levels = filter.Split('/');
        if (levels.Length >= 3 && levels[1] == "STATE")
            return true;
        return principal.Kind == PrincipalKind.Gateway && levels.Length >= 4 && levels[3] == principal.Id
            && levels[2] is "NCMD" or "DCMD" or "+";
    }

    private Task PublishAsync(SparkplugMessage message)
    {
        var server = _server ?? throw new InvalidOperationException("The bridge is not attached to a broker.");
        var mqtt = new MqttApplicationMessageBuilder()
            .WithTopic(message.TopicName)
            .WithPayload(message.Payload)
            .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)message.QualityOfService)
            .WithRetainFlag(message.Retain)
            .Build();
        return server.InjectApplicationMessage(new InjectedMqttApplicationMessage(mqtt) { SenderClientId = "fabrica" }, CancellationToken.None);
    }

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Sparkplug message of {Actor} on {Topic} rejected: {Reason}")]
    private static partial void LogSparkplugRejected(ILogger logger, string actor, string topic, string reason);
}
