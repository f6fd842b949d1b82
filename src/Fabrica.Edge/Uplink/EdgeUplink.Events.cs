using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;

namespace Fabrica.Edge.Uplink;

/// <summary>
/// Events emitted by edge rules (docs/edge.md, "Edge rules"): published QoS 1 on <c>fabrica/edges/{id}/events</c>
/// (or a subtopic), which the platform logs and keeps. Unlike samples they are not buffered on disk: an event is a
/// notification of something the samples already record, so while the platform is unreachable the newest
/// <see cref="EventCapacity"/> wait in memory and older ones are dropped, counted.
/// </summary>
internal sealed partial class EdgeUplink
{
    public const int EventCapacity = 1024;

    private Channel<EdgeEvent>? _events;
    private long _droppedEvents;

    private Channel<EdgeEvent> Events => LazyInitializer.EnsureInitialized(ref _events, () => Channel.CreateBounded<EdgeEvent>(
        new BoundedChannelOptions(EventCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest },
        _ => Interlocked.Increment(ref _droppedEvents)));

    /// <summary>Events lost because more than <see cref="EventCapacity"/> waited for the platform.</summary>
    public long DroppedEvents => Interlocked.Read(ref _droppedEvents);

    /// <summary>Queues an event for the platform; never blocks (the oldest waiting event makes room).</summary>
    public bool PublishEvent(string topic, ReadOnlyMemory<byte> payload) => Events.Writer.TryWrite(new EdgeEvent(topic, payload));

    /// <summary>Sends queued events while the session lasts; an event leaves the queue only once the platform acknowledged it.</summary>
    private async Task EventLoopAsync(CancellationToken cancellationToken)
    {
        var reader = Events.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryPeek(out var item))
            {
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic(item.Topic)
                    .WithPayload(new System.Buffers.ReadOnlySequence<byte>(item.Payload))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithContentType("application/json")
                    .Build();
                var result = await _client.PublishAsync(message, cancellationToken).WaitAsync(_options.Uplink.AckTimeout, _time, cancellationToken).ConfigureAwait(false);
                if ((int)result.ReasonCode >= 0x80)
                {
                    Interlocked.Increment(ref _droppedEvents);
                    Log.EventRefused(_logger, item.Topic, result.ReasonCode.ToString());
                }
                reader.TryRead(out _);
            }
        }
    }

    private readonly record struct EdgeEvent(string Topic, ReadOnlyMemory<byte> Payload);
}
