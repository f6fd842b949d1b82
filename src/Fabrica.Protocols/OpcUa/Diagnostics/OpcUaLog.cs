using Microsoft.Extensions.Logging;

namespace Fabrica.Protocols.OpcUa.Diagnostics;

/// <summary>The client's log messages. Event ids are stable (4100–4199); add new ones at the end.</summary>
internal static partial class OpcUaLog
{
    [LoggerMessage(4100, LogLevel.Information, "Connected to {Endpoint}, session {SessionId}, user token policy {PolicyId}")]
    public static partial void Connected(ILogger logger, string endpoint, NodeId sessionId, string? policyId);

    [LoggerMessage(4101, LogLevel.Warning, "Connection to {Endpoint} lost; reconnecting")]
    public static partial void ConnectionLost(ILogger logger, string endpoint, Exception? error);

    [LoggerMessage(4102, LogLevel.Information, "Reconnected to {Endpoint} after {Attempts} attempts; session survived: {SessionSurvived}")]
    public static partial void Reconnected(ILogger logger, string endpoint, int attempts, bool sessionSurvived);

    [LoggerMessage(4103, LogLevel.Debug, "Reconnect attempt {Attempt} to {Endpoint} failed; next in {Delay}")]
    public static partial void ReconnectFailed(ILogger logger, int attempt, string endpoint, TimeSpan delay, Exception error);

    [LoggerMessage(4104, LogLevel.Warning, "The server no longer knows session {SessionId} ({Reason}); creating a new one")]
    public static partial void SessionLost(ILogger logger, NodeId sessionId, string reason);

    [LoggerMessage(4105, LogLevel.Information, "Subscription {OldId} restored as {NewId} ({How})")]
    public static partial void SubscriptionRestored(ILogger logger, uint oldId, uint newId, string how);

    [LoggerMessage(4106, LogLevel.Debug, "Republished message {SequenceNumber} of subscription {SubscriptionId}")]
    public static partial void Republished(ILogger logger, uint sequenceNumber, uint subscriptionId);

    [LoggerMessage(4107, LogLevel.Warning, "Message {SequenceNumber} of subscription {SubscriptionId} is no longer available at the server: values lost")]
    public static partial void MessageLost(ILogger logger, uint sequenceNumber, uint subscriptionId);

    [LoggerMessage(4108, LogLevel.Warning, "Subscription {SubscriptionId} ended by the server: {Status}")]
    public static partial void SubscriptionEnded(ILogger logger, uint subscriptionId, StatusCode status);

    [LoggerMessage(4109, LogLevel.Warning, "Keep-alive read timed out on {Endpoint}: treating the connection as dead")]
    public static partial void KeepAliveTimedOut(ILogger logger, string endpoint);

    [LoggerMessage(4110, LogLevel.Debug, "Publish failed: {Status}")]
    public static partial void PublishFailed(ILogger logger, StatusCode status);
}
