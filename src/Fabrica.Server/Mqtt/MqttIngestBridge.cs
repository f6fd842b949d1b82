using System.Collections.Concurrent;
using Fabrica.Platform.Edges;
using Fabrica.Platform.Ingest;
using Fabrica.Protocols.Sparkplug;
using Fabrica.Security.Authentication;
using Fabrica.Security.Principals;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Fabrica.Server.Mqtt;

/// <summary>
/// Connects MQTTnet's broker to Fabrica: authenticates CONNECT (username = device or edge id, password = token),
/// enforces the topic tree (<see cref="PlatformTopics"/>: a device under its own <c>fabrica/devices/{id}/</c>, an edge
/// under its own <c>fabrica/edges/{id}/</c> and its devices'; an API token of viewer and up only subscribes to
/// <c>fabrica/alarms/…</c>, docs/security.md), and hands telemetry to ingest. The PUBACK is sent when
/// the interceptor returns, i.e. after the samples are durable (see TOOLCHAIN-NOTES on what this costs per
/// connection). Telemetry is consumed by the platform and not re-broadcast to subscribers.
/// </summary>
internal sealed partial class MqttIngestBridge(
    CredentialAuthenticator authenticator, TelemetryIngest ingest, EdgeDeviceOwnership ownership, EdgeStatusBoard edges,
    SparkplugHostApplication sparkplug, MqttCommandChannel commands, MqttMetrics metrics, ILogger<MqttIngestBridge> logger)
{
    private const string PrincipalItem = "fabrica.principal";
    private const string ProtocolItem = "fabrica.protocol";
    private const string ClaimedItem = "fabrica.claimed";
    private const string SourceItem = "fabrica.source";
    private MqttServer? _server;

    public void Attach(MqttServer server)
    {
        _server = server;
        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.InterceptingPublishAsync += InterceptPublishAsync;
        server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        server.ClientDisconnectedAsync += OnDisconnectedAsync;
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
        e.SessionItems[SourceItem] = source;
        e.SessionItems[ClaimedItem] = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        if (principal.Kind == PrincipalKind.Gateway)
            edges.Connected(principal.Id);
        metrics.ConnectionAccepted();
        if (DeliveryTrace.Enabled)
            LogTraceConnected(logger, e.ClientId, principal.Actor, source);
    }

    private Task OnDisconnectedAsync(ClientDisconnectedEventArgs e)
    {
        if (DeliveryTrace.Enabled)
            LogTraceDisconnected(logger, e.ClientId, e.DisconnectType.ToString());
        if (e.SessionItems?[PrincipalItem] is FabricaPrincipal { Kind: PrincipalKind.Gateway } edge)
            edges.Disconnected(edge.Id);
        return Task.CompletedTask;
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        if (e.SessionItems?[PrincipalItem] is not FabricaPrincipal principal)
            return Task.CompletedTask;
        var claimed = (ConcurrentDictionary<string, bool>)e.SessionItems[ClaimedItem]!;
        var filter = e.TopicFilter.Topic;
        // Alarm pushes are for people's tools (API tokens, viewer and up), read-only; devices and edges get none.
        var allowed = principal.Kind == PrincipalKind.ApiToken
            ? principal.HasRole(Role.Viewer) && PlatformTopics.IsAlarmFilter(filter)
            : filter.StartsWith(SparkplugTopic.Namespace + "/", StringComparison.Ordinal)
            ? MaySubscribeSparkplug(principal, filter)
            : PlatformTopics.TryParse(filter, out var owner, out var id, out _) && owner switch
        {
            TopicOwner.Device => principal.CanPublishFor(id) || claimed.ContainsKey(id),
            TopicOwner.Edge => principal.Kind == PrincipalKind.Gateway && principal.Id == id,
            _ => false,
        };
        if (!allowed)
        {
            metrics.SubscriptionDenied();
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        }
        return Task.CompletedTask;
    }

    private static bool IsMqtt5(InterceptingPublishEventArgs e) =>
        e.SessionItems?[ProtocolItem] is MqttProtocolVersion.V500;

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "MQTT authentication of {UserName} from {Source} failed")]
    private static partial void LogAuthenticationFailed(ILogger logger, Exception exception, string userName, string source);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "MQTT publish by {Actor} to {Topic} denied")]
    private static partial void LogPublishDenied(ILogger logger, string actor, string topic);

    [LoggerMessage(EventId = 4053, Level = LogLevel.Information, Message = "trace: MQTT client {ClientId} ({Actor}) connected from {Source}")]
    private static partial void LogTraceConnected(ILogger logger, string clientId, string actor, string source);

    [LoggerMessage(EventId = 4054, Level = LogLevel.Information, Message = "trace: MQTT client {ClientId} disconnected ({Type})")]
    private static partial void LogTraceDisconnected(ILogger logger, string clientId, string type);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Storing telemetry of {DeviceId} failed; the message is not acknowledged")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string deviceId);
}
