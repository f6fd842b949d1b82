using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Fabrica.Edge.Uplink;

/// <summary>
/// Platform commands for the edge's devices (docs/models.md, "Commands"; docs/edge.md, "Commands"): the edge
/// subscribes to <c>fabrica/devices/{deviceId}/commands/+</c> for each configured device and answers on
/// <c>…/commands/{commandId}/result</c>. The platform lets an edge subscribe for a device it owns; a device the platform
/// registers on the edge's first telemetry is owned only from then on, so refused subscriptions are retried with
/// back-off while the connection lasts. A command runs off the MQTT receive loop, so a slow method call delays nothing.
/// </summary>
internal sealed partial class EdgeUplink
{
    private const string DevicesPrefix = "fabrica/devices/";
    private const string CommandsSegment = "/commands/";

    /// <summary>Runs a command (device id, command id, the command message) and returns the answer <c>{"ok", "result"?, "error"?}</c>.</summary>
    public Func<string, string, ReadOnlyMemory<byte>, CancellationToken, Task<byte[]>>? CommandHandler { get; set; }

    private static string CommandFilter(string deviceId) => DevicesPrefix + deviceId + CommandsSegment + "+";

    /// <summary>Subscribes to the commands of every device in the background of one session (never ends the session).</summary>
    private void StartCommandSubscriptions(CancellationToken cancellationToken)
    {
        if (CommandHandler is null || _options.Devices.Count == 0)
            return;
        _ = Task.Run(async () =>
        {
            var pending = _options.Devices.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            var delay = TimeSpan.FromSeconds(1);
            try
            {
                while (pending.Count > 0)
                {
                    var builder = new MqttClientSubscribeOptionsBuilder();
                    foreach (var id in pending)
                        builder.WithTopicFilter(CommandFilter(id), MqttQualityOfServiceLevel.AtLeastOnce);
                    var result = await _client.SubscribeAsync(builder.Build(), cancellationToken).ConfigureAwait(false);
                    foreach (var item in result.Items.Where(i => (int)i.ResultCode < 0x80))
                        pending.Remove(item.TopicFilter.Topic[DevicesPrefix.Length..^(CommandsSegment.Length + 1)]);
                    if (pending.Count == 0)
                        break;
                    Log.CommandSubscriptionPending(_logger, string.Join(", ", pending), delay.TotalSeconds);
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
            {
                // the session ended; the next one subscribes again
            }
        }, CancellationToken.None);
    }

    /// <summary>True when the message is a command for one of our devices (then it runs in the background).</summary>
    private bool TryDispatchCommand(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        if (CommandHandler is not { } handler || !topic.StartsWith(DevicesPrefix, StringComparison.Ordinal))
            return false;
        var rest = topic.AsSpan(DevicesPrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || !rest[slash..].StartsWith(CommandsSegment, StringComparison.Ordinal))
            return false;
        var deviceId = rest[..slash].ToString();
        var commandId = rest[(slash + CommandsSegment.Length)..].ToString();
        if (commandId.Length == 0 || commandId.Contains('/', StringComparison.Ordinal))
            return true; // our own …/result echoes or malformed ids: not a command
        var payload = System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload);
        var client = _client;
        _ = Task.Run(async () =>
        {
            try
            {
                var reply = await handler(deviceId, commandId, payload, CancellationToken.None).ConfigureAwait(false);
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic(topic + "/result")
                    .WithPayload(reply)
                    .WithContentType("application/json")
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build();
                await client.PublishAsync(message, CancellationToken.None).WaitAsync(_options.Uplink.AckTimeout, _time).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The platform times the command out; the reason stays in the edge's log.
                Log.CommandReplyFailed(_logger, deviceId, commandId, ex.Message);
            }
        }, CancellationToken.None);
        return true;
    }
}

/// <summary>Log messages of platform commands on the uplink (event ids 3280–3289).</summary>
internal static partial class Log
{
    [LoggerMessage(3280, LogLevel.Information, "The platform does not yet let this edge receive commands for {Devices}; retrying in {Seconds} s (a device is the edge's once its first telemetry is stored)")]
    public static partial void CommandSubscriptionPending(ILogger logger, string devices, double seconds);

    [LoggerMessage(3281, LogLevel.Warning, "Could not answer command {CommandId} of {Device}: {Reason}")]
    public static partial void CommandReplyFailed(ILogger logger, string device, string commandId, string reason);
}
