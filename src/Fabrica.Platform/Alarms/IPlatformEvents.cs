namespace Fabrica.Platform.Alarms;

/// <summary>
/// Where the platform publishes what happens to subscribers (the host implements it over its MQTT broker): alarm
/// changes on <c>fabrica/alarms/{assetId}</c>, rule events on the topics rules name. Publishing never blocks for long
/// and never throws into the caller; a message nobody subscribes to is dropped.
/// </summary>
public interface IPlatformEvents
{
    ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);
}

/// <summary>Publishes nothing: for hosts without a broker, and tests.</summary>
public sealed class NoPlatformEvents : IPlatformEvents
{
    public static NoPlatformEvents Instance { get; } = new();

    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
