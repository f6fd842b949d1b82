using Fabrica.Platform.Ingest;
using Fabrica.Security.Authentication;
using Fabrica.Security.Principals;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Fabrica.Server.Mqtt;

/// <summary>
/// Connects MQTTnet's broker to Fabrica: authenticates CONNECT (username = device or gateway id, password = token),
/// enforces the topic tree (a device publishes and subscribes only under its own <c>fabrica/devices/{id}/</c>),
/// and hands telemetry to ingest. The PUBACK is sent when the interceptor returns, i.e. after the samples are
/// durable (see TOOLCHAIN-NOTES on what this costs per connection). Telemetry is consumed by the platform and not
/// re-broadcast to subscribers.
/// </summary>
internal sealed partial class MqttIngestBridge(
    CredentialAuthenticator authenticator, TelemetryIngest ingest, MqttMetrics metrics, ILogger<MqttIngestBridge> logger)
{
    private const string PrincipalItem = "fabrica.principal";
    private const string ProtocolItem = "fabrica.protocol";
    private MqttServer? _server;

    public void Attach(MqttServer server)
    {
        _server = server;
        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.InterceptingPublishAsync += InterceptPublishAsync;
        server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
    }

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var source = e.RemoteEndPoint?.ToString() ?? "unknown";
        FabricaPrincipal? principal;
        try
        {
            principal = await authenticator.AuthenticateMqttAsync(e.UserName, e.Password, source, e.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAuthenticationFailed(logger, ex, e.UserName ?? "", source);
            principal = null;
        }
        if (principal is null)
        {
            metrics.ConnectionRefused();
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            return;
        }
        // mosquitto_pub and others connect with an empty client id; MQTTnet refuses that unless one is assigned.
        if (string.IsNullOrEmpty(e.ClientId))
            e.AssignedClientIdentifier = $"{principal.Id}-{Guid.NewGuid():N}";
        e.SessionItems[PrincipalItem] = principal;
        e.SessionItems[ProtocolItem] = e.ProtocolVersion;
        metrics.ConnectionAccepted();
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        // Messages the platform itself injects (error reports) have no client session.
        if (e.SessionItems?[PrincipalItem] is not FabricaPrincipal principal)
            return;
        var message = e.ApplicationMessage;
        e.ProcessPublish = false;
        if (!DeviceTopics.TryParse(message.Topic, out var deviceId, out var rest) || rest != DeviceTopics.Telemetry
            || !principal.CanPublishFor(deviceId))
        {
            metrics.PublishDenied();
            LogPublishDenied(logger, principal.Actor, message.Topic);
            Refuse(e, MqttPubAckReasonCode.NotAuthorized, $"{principal.Actor} may publish only to fabrica/devices/<own id>/telemetry.");
            return;
        }

        IngestOutcome outcome;
        try
        {
            outcome = await ingest.IngestAsync(deviceId, message.Payload, IngestTransport.Mqtt, e.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not durable, so no PUBACK: closing the connection makes a QoS 1 client resend after reconnecting.
            LogStoreFailed(logger, ex, deviceId);
            e.CloseConnection = true;
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
            return;
        }
        e.Response.ReasonCode = MqttPubAckReasonCode.Success;
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        if (e.SessionItems?[PrincipalItem] is not FabricaPrincipal principal)
            return Task.CompletedTask;
        var filter = e.TopicFilter.Topic;
        if (!DeviceTopics.TryParse(filter, out var deviceId, out _) || !principal.CanPublishFor(deviceId))
        {
            metrics.SubscriptionDenied();
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        }
        return Task.CompletedTask;
    }

    private Task PublishErrorAsync(string deviceId, byte[] report)
    {
        var server = _server ?? throw new InvalidOperationException("The bridge is not attached to a broker.");
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(DeviceTopics.ErrorsOf(deviceId))
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

    private static bool IsMqtt5(InterceptingPublishEventArgs e) =>
        e.SessionItems?[ProtocolItem] is MqttProtocolVersion.V500;

    private static string Truncate(string text) => text.Length <= 256 ? text : text[..256];

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "MQTT authentication of {UserName} from {Source} failed")]
    private static partial void LogAuthenticationFailed(ILogger logger, Exception exception, string userName, string source);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "MQTT publish by {Actor} to {Topic} denied")]
    private static partial void LogPublishDenied(ILogger logger, string actor, string topic);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Storing telemetry of {DeviceId} failed; the message is not acknowledged")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string deviceId);
}
