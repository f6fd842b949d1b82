using Fabrica.Platform.Edges;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Fabrica.Server.Mqtt;

/// <summary>
/// Publishes each edge's configuration retained on <c>fabrica/edges/{edgeId}/config</c> (QoS 1): when it changes,
/// and again for every stored configuration when the broker starts (the broker keeps retained messages in memory
/// only). An edge subscribes to its own config topic, so it gets the current version on every (re)connect and a new
/// one the moment it is pushed; the bridge lets no one else subscribe there, and no client publish there.
/// </summary>
internal sealed partial class EdgeConfigChannel(EdgeConfigStore store, ILogger<EdgeConfigChannel> logger)
{
    private MqttServer? _server;

    public void Attach(MqttServer server)
    {
        _server = server;
        server.StartedAsync += _ => RepublishAllAsync();
        if (server.IsStarted)
            _ = RepublishAllAsync();
    }

    public async Task PublishAsync(EdgeConfig config, CancellationToken cancellationToken = default)
    {
        if (_server is not { IsStarted: true } server)
            return; // published when the broker starts
        await server.InjectApplicationMessage(Retained(PlatformTopics.ConfigOf(config.EdgeId), config.ToPayload()), cancellationToken).ConfigureAwait(false);
        LogPublished(logger, config.EdgeId, config.Version, config.Rules.Count);
    }

    /// <summary>Removes the retained configuration of a deleted edge (an empty retained message clears it, MQTT 5 §3.3.1.3).</summary>
    public async Task ClearAsync(string edgeId, CancellationToken cancellationToken = default)
    {
        if (_server is { IsStarted: true } server)
            await server.InjectApplicationMessage(Retained(PlatformTopics.ConfigOf(edgeId), []), cancellationToken).ConfigureAwait(false);
    }

    private async Task RepublishAllAsync()
    {
        try
        {
            foreach (var config in await store.ListAsync().ConfigureAwait(false))
                await PublishAsync(config).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            LogRepublishFailed(logger, store.Directory, e.Message);
        }
    }

    private static InjectedMqttApplicationMessage Retained(string topic, byte[] payload) => new(new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(payload)
        .WithContentType("application/json")
        .WithRetainFlag(true)
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build())
    { SenderClientId = "fabrica" };

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Configuration version {Version} of edge {EdgeId} published ({Rules} rules)")]
    private static partial void LogPublished(ILogger logger, string edgeId, string version, int rules);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Error, Message = "Could not publish the stored edge configurations from {Directory}: {Reason}")]
    private static partial void LogRepublishFailed(ILogger logger, string directory, string reason);
}
