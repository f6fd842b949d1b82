using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Fabrica.Platform.Alarms;
using Fabrica.Platform.Commands;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Fabrica.Server.Mqtt;

/// <summary>
/// Commands to devices and platform events over the broker (docs/models.md, "Commands"):
/// <list type="bullet">
/// <item><c>fabrica/devices/{deviceId}/commands/{commandId}</c> — the command, QoS 1, <c>{"id","name","args","expiresAt"}</c>
/// (platform → device; the device subscribes to <c>fabrica/devices/{deviceId}/commands/+</c>). The device's PUBACK
/// marks the command delivered.</item>
/// <item><c>fabrica/devices/{deviceId}/commands/{commandId}/result</c> — the answer, <c>{"ok", "result"?, "error"?}</c>
/// (device → platform), handed to <see cref="AcceptResultAsync"/> by the ingest bridge.</item>
/// <item><c>fabrica/alarms/{assetId}</c> and the topics of rules' MQTT events — platform → subscribers.</item>
/// </list>
/// Devices born over Sparkplug B get their writes as DCMD instead (MqttCommandChannel.Sparkplug.cs).
/// </summary>
internal sealed partial class MqttCommandChannel(IServiceProvider services, ILogger<MqttCommandChannel> logger) : IDeviceCommandChannel, IPlatformEvents
{
    private const string Commands = "/commands/";
    private const string ResultSuffix = "/result";
    private readonly ConcurrentDictionary<string, bool> _unconsumed = new(StringComparer.Ordinal);
    private MqttServer? _server;
    private CommandService? _commands;

    private CommandService CommandService => _commands ??= services.GetRequiredService<CommandService>();

    public void Attach(MqttServer server)
    {
        _server = server;
        server.ClientAcknowledgedPublishPacketAsync += OnAcknowledgedAsync;
        server.ApplicationMessageNotConsumedAsync += OnNotConsumedAsync;
    }

    public static string CommandTopic(string deviceId, string commandId) => PlatformTopics.DevicePrefix + deviceId + Commands + commandId;

    /// <summary>Is <paramref name="topic"/> a device's answer to a command, and to which?</summary>
    public static bool TryParseResultTopic(string topic, out string deviceId, out string commandId)
    {
        deviceId = commandId = "";
        if (!PlatformTopics.TryParse(topic, out var owner, out var id, out var rest) || owner != TopicOwner.Device)
            return false;
        if (!rest.StartsWith("commands/", StringComparison.Ordinal) || !rest.EndsWith(ResultSuffix, StringComparison.Ordinal))
            return false;
        var command = rest["commands/".Length..^ResultSuffix.Length];
        if (!NamingRules.IsValidDeviceId(command))
            return false;
        (deviceId, commandId) = (id, command);
        return true;
    }

    public async ValueTask<bool> SendAsync(DeviceCommandMessage command, CancellationToken cancellationToken = default)
    {
        var server = _server ?? throw new InvalidOperationException("The command channel is not attached to a broker.");
        if (Sparkplug.IsSparkplugDevice(command.Device))
            return await SendSparkplugAsync(server, command, cancellationToken).ConfigureAwait(false);
        var topic = CommandTopic(command.Device, command.Id);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(command, CommandJsonContext.Default.DeviceCommandMessage))
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        // The broker dispatches an injected message before the call completes, raising "not consumed" when no session
        // subscribes: that is how an offline device is told apart from a slow one.
        await server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = "fabrica" }, cancellationToken);
        return !_unconsumed.TryRemove(topic, out _);
    }

    public async ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        if (_server is not { } server)
            return;
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(new System.Buffers.ReadOnlySequence<byte>(payload))
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = "fabrica" }, cancellationToken);
        _unconsumed.TryRemove(topic, out _);
    }

    /// <summary>
    /// A device's answer (from the bridge, after it checked that the publisher may act for <paramref name="deviceId"/>).
    /// False when the payload is not an answer or no command of that device with that id awaits one.
    /// </summary>
    public async Task<bool> AcceptResultAsync(string deviceId, string commandId, ReadOnlySequence<byte> payload, CancellationToken cancellationToken = default)
    {
        CommandReply? reply;
        try
        {
            var reader = new Utf8JsonReader(payload);
            reply = JsonSerializer.Deserialize(ref reader, CommandJsonContext.Default.CommandReply);
        }
        catch (JsonException e)
        {
            LogBadResult(logger, deviceId, commandId, e.Message);
            return false;
        }
        return reply is not null && await CommandService.OnReplyAsync(deviceId, commandId, reply, cancellationToken);
    }

    private async Task OnAcknowledgedAsync(ClientAcknowledgedPublishPacketEventArgs e)
    {
        if (!PlatformTopics.TryParse(e.PublishPacket.Topic, out var owner, out var deviceId, out var rest) || owner != TopicOwner.Device
            || !rest.StartsWith("commands/", StringComparison.Ordinal) || rest.EndsWith(ResultSuffix, StringComparison.Ordinal))
            return;
        try
        {
            await CommandService.OnDeliveredAsync(deviceId, rest["commands/".Length..], CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDeliveryFailed(logger, ex, deviceId);
        }
    }

    private Task OnNotConsumedAsync(ApplicationMessageNotConsumedEventArgs e)
    {
        if (e.SenderId == "fabrica")
            _unconsumed[e.ApplicationMessage.Topic] = true;
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Device {DeviceId} answered command {CommandId} with a payload that is not {{\"ok\": …}}: {Problem}")]
    private static partial void LogBadResult(ILogger logger, string deviceId, string commandId, string problem);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Recording the delivery of a command to {DeviceId} failed")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string deviceId);
}
