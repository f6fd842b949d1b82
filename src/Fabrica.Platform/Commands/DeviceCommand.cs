using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabrica.Platform.Commands;

/// <summary>Where a command is in its life: pending → delivered → succeeded | failed | timedOut.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CommandStatus>))]
public enum CommandStatus
{
    /// <summary>Stored and sent; the device has not yet confirmed receipt.</summary>
    [JsonStringEnumMemberName("pending")] Pending = 0,

    /// <summary>The device's MQTT session acknowledged the message (QoS 1 PUBACK); no result yet.</summary>
    [JsonStringEnumMemberName("delivered")] Delivered = 1,

    /// <summary>The device answered <c>{"ok": true}</c>.</summary>
    [JsonStringEnumMemberName("succeeded")] Succeeded = 2,

    /// <summary>The device answered <c>{"ok": false}</c>, or the command could not be delivered at all.</summary>
    [JsonStringEnumMemberName("failed")] Failed = 3,

    /// <summary>No answer before <see cref="DeviceCommand.ExpiresAt"/>.</summary>
    [JsonStringEnumMemberName("timedOut")] TimedOut = 4,
}

/// <summary>A command as Fabrica records it (<c>GET /api/v1/commands/{id}</c>).</summary>
/// <param name="Asset">The asset the command was addressed to, when it went through the model.</param>
/// <param name="Actor">Who sent it: <c>token:id</c> for a person or script, <c>rule:id</c> for a rule's action.</param>
/// <param name="Result">What the device answered with <c>ok: true</c> (any JSON), stored as given.</param>
public sealed record DeviceCommand(
    string Id,
    string? Asset,
    string Device,
    string Name,
    JsonElement Args,
    CommandStatus Status,
    string Actor,
    long CreatedAt,
    long ExpiresAt,
    long? DeliveredAt = null,
    long? CompletedAt = null,
    JsonElement? Result = null,
    string? Error = null)
{
    [JsonIgnore]
    public bool IsFinal => Status is CommandStatus.Succeeded or CommandStatus.Failed or CommandStatus.TimedOut;
}

/// <summary>
/// What the device receives on <c>fabrica/devices/{deviceId}/commands/{id}</c>. It answers on
/// <c>…/commands/{id}/result</c> with a <see cref="CommandReply"/>.
/// </summary>
public sealed record DeviceCommandMessage(string Id, string Device, string Name, JsonElement Args, long ExpiresAt);

/// <summary>A device's answer: <c>{"ok": true, "result": …}</c> or <c>{"ok": false, "error": "…"}</c>.</summary>
public sealed record CommandReply(bool Ok, JsonElement? Result = null, string? Error = null);

/// <summary>Source-generated JSON for commands and replies.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(DeviceCommand))]
[JsonSerializable(typeof(IReadOnlyList<DeviceCommand>))]
[JsonSerializable(typeof(DeviceCommandMessage))]
[JsonSerializable(typeof(CommandReply))]
[JsonSerializable(typeof(CommandStatus))]
public sealed partial class CommandJsonContext : JsonSerializerContext;
