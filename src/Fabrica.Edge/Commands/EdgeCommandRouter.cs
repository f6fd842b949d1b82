using System.Buffers;
using System.Text.Json;
using Fabrica.Edge.Adapters;
using Fabrica.Edge.Pipeline;
using Microsoft.Extensions.Logging;

namespace Fabrica.Edge.Commands;

/// <summary>
/// Runs platform commands at the edge (docs/edge.md, "Commands"). The message is the platform's
/// <c>{"id", "device", "name", "args", "expiresAt"}</c>; the answer is <c>{"ok": true, "result"?: …}</c> or
/// <c>{"ok": false, "error": "…"}</c>. Every device understands <c>write</c> (and the platform rules' <c>writeTag</c>)
/// with <c>{"tag", "value"}</c> (the same path as an edge rule's write); an adapter that runs named operations (<see cref="ICommandDeviceAdapter"/>, e.g.
/// OPC UA methods) takes the other names. A command past its expiry is not run.
/// </summary>
internal sealed partial class EdgeCommandRouter(Func<string, IDeviceAdapter?> adapterOf, IEdgeActions actions, TimeProvider time, ILogger logger)
{
    public const string Write = "write";

    /// <summary>
    /// The name the platform's rules give a device write (a rule's <c>writeTag</c> action, docs/models.md): the same
    /// <c>{"tag", "value"}</c> as <see cref="Write"/>, so that a rule's command reaches a device behind an edge.
    /// </summary>
    public const string WriteTag = "writeTag";

    private static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(5);

    public async Task<byte[]> HandleAsync(string deviceId, string commandId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var command = document.RootElement;
            var name = command.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : throw new CommandRefusedException("the command has no name");
            var args = command.TryGetProperty("args", out var a) ? a : default;
            var expiresAt = command.TryGetProperty("expiresAt", out var e) && e.TryGetInt64(out var ms) ? ms : long.MaxValue;
            var left = TimeSpan.FromMilliseconds(Math.Max(0, expiresAt - UnixTime.Now(time)));
            if (left == TimeSpan.Zero)
                throw new CommandRefusedException("the command expired before it reached the edge");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(left < MaxDuration ? left : MaxDuration);

            JsonElement? result = null;
            if (name is Write or WriteTag)
                await WriteAsync(deviceId, args, timeout.Token).ConfigureAwait(false);
            else if (adapterOf(deviceId) is ICommandDeviceAdapter adapter && adapter.Commands.Contains(name))
                result = await adapter.ExecuteAsync(name, args, timeout.Token).ConfigureAwait(false);
            else
                throw new CommandRefusedException(adapterOf(deviceId) is null
                    ? $"the edge has no device {deviceId}"
                    : $"device {deviceId} has no command \"{name}\"; it takes {string.Join(", ", [Write, .. (adapterOf(deviceId) as ICommandDeviceAdapter)?.Commands ?? []])}");
            LogCommandRan(logger, commandId, name, deviceId);
            return Reply(ok: true, result, error: null);
        }
        catch (Exception e) when (e is CommandRefusedException or JsonException or ArgumentException or InvalidOperationException or OperationCanceledException
            or TimeoutException or IOException or Protocols.OpcUa.OpcUaServiceException or Protocols.Modbus.ModbusException)
        {
            var reason = e is OperationCanceledException ? "the command did not finish before it expired" : e.Message;
            LogCommandFailed(logger, commandId, deviceId, reason);
            return Reply(ok: false, null, reason);
        }
    }

    /// <summary><c>{"tag": "setpoint", "value": 42.5}</c>: a raw value for a configured tag, as an edge rule writes it.</summary>
    private async Task WriteAsync(string deviceId, JsonElement args, CancellationToken cancellationToken)
    {
        if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty("tag", out var tag) || tag.ValueKind != JsonValueKind.String
            || !args.TryGetProperty("value", out var value))
            throw new CommandRefusedException("write takes {\"tag\": \"…\", \"value\": …}");
        SampleValue sample = value.ValueKind switch
        {
            JsonValueKind.True => SampleValue.FromBool(true),
            JsonValueKind.False => SampleValue.FromBool(false),
            JsonValueKind.String => SampleValue.FromString(value.GetString()!),
            JsonValueKind.Number when value.TryGetInt64(out var integer) => SampleValue.FromLong(integer),
            JsonValueKind.Number => SampleValue.FromDouble(value.GetDouble()),
            _ => throw new CommandRefusedException("write a number, a string or true/false as the value"),
        };
        await actions.WriteTagAsync(deviceId, tag.GetString()!, sample, cancellationToken).ConfigureAwait(false);
    }

    private static byte[] Reply(bool ok, JsonElement? result, string? error)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("ok", ok);
            if (result is { } r)
            {
                json.WritePropertyName("result");
                r.WriteTo(json);
            }
            if (error is not null)
                json.WriteString("error", error);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    [LoggerMessage(3290, LogLevel.Information, "Command {CommandId} ({Name}) ran on {Device}")]
    private static partial void LogCommandRan(ILogger logger, string commandId, string name, string device);

    [LoggerMessage(3291, LogLevel.Warning, "Command {CommandId} for {Device} failed: {Reason}")]
    private static partial void LogCommandFailed(ILogger logger, string commandId, string device, string reason);

    private sealed class CommandRefusedException(string message) : Exception(message);
}
