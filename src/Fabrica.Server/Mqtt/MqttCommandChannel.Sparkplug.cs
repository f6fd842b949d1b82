using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Fabrica.Platform.Commands;
using Fabrica.Protocols.Sparkplug;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Fabrica.Server.Mqtt;

/// <summary>
/// Commands to devices born over Sparkplug B (docs/sparkplug.md, "Commands"): a <c>write</c>/<c>writeTag</c>
/// <c>{"tag", "value"}</c> becomes a DCMD (NCMD for an edge node's own metrics) carrying that one metric, by alias when
/// the birth gave one (Sparkplug 3.0 §6.4.6), typed as the birth declared it. Sparkplug has no command result, so:
/// <list type="bullet">
/// <item>delivered — the broker handed the DCMD to the edge node's session (it subscribes to its DCMD topics);</item>
/// <item>succeeded — a later DDATA/NDATA of that device reports the written value before the command expires;</item>
/// <item>failed — at once, when the command is not a write, the tag is not in the birth, the value does not fit its
/// type, or no session of the edge node listens;</item>
/// <item>timed out — no report of the value before the expiry (the edge did not apply it, or the value did not change
/// and report-by-exception sent nothing).</item>
/// </list>
/// </summary>
internal sealed partial class MqttCommandChannel
{
    private readonly ConcurrentDictionary<string, SparkplugWrite> _sparkplugWrites = new(StringComparer.Ordinal);
    private SparkplugHostApplication? _sparkplug;

    private SparkplugHostApplication Sparkplug => _sparkplug ??= services.GetRequiredService<SparkplugHostApplication>();

    private async ValueTask<bool> SendSparkplugAsync(MqttServer server, DeviceCommandMessage command, CancellationToken cancellationToken)
    {
        if (!TryReadWrite(command, out var tag, out var value, out var problem)
            || !Sparkplug.TryCreateWrite(command.Device, tag, value, out var dcmd, out problem))
        {
            LogSparkplugCommandRefused(logger, command.Id, command.Device, problem);
            await CommandService.OnReplyAsync(command.Device, command.Id, new CommandReply(false, Error: "not sent over Sparkplug: " + problem), cancellationToken).ConfigureAwait(false);
            return true;
        }
        // Registered before the DCMD leaves, so that a DDATA that follows at once is matched.
        _sparkplugWrites[command.Id] = new SparkplugWrite(command.Device, tag, value, command.ExpiresAt);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(dcmd.TopicName)
            .WithPayload(dcmd.Payload)
            .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)dcmd.QualityOfService)
            .Build();
        await server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = "fabrica" }, cancellationToken).ConfigureAwait(false);
        if (_unconsumed.TryRemove(dcmd.TopicName, out _))
        {
            _sparkplugWrites.TryRemove(command.Id, out _);
            return false;
        }
        await CommandService.OnDeliveredAsync(command.Device, command.Id, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Current Sparkplug data just stored (from the bridge): a reported value equal to an awaited write completes
    /// that write's command as succeeded. Expired writes are forgotten (the command service times them out).
    /// </summary>
    public async Task ObserveSparkplugDataAsync(IReadOnlyList<SeriesSample> samples, CancellationToken cancellationToken = default)
    {
        if (_sparkplugWrites.IsEmpty)
            return;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var (id, write) in _sparkplugWrites)
        {
            if (write.ExpiresAt <= now)
            {
                _sparkplugWrites.TryRemove(id, out _);
                continue;
            }
            foreach (var sample in samples)
            {
                if (sample.Series.Device != write.Device || sample.Series.Tag != write.Tag || !Matches(write.Value, sample.Sample.Value)
                    || !_sparkplugWrites.TryRemove(id, out _))
                    continue;
                await CommandService.OnReplyAsync(write.Device, id, new CommandReply(true, Reported(write.Tag, sample.Sample)), cancellationToken).ConfigureAwait(false);
                break;
            }
        }
    }

    /// <summary>The edge's command names for a device write (Fabrica.Edge's EdgeCommandRouter): <c>write</c> and <c>writeTag</c>.</summary>
    private static bool TryReadWrite(DeviceCommandMessage command, out string tag, out SampleValue value, out string problem)
    {
        (tag, value, problem) = ("", default, "");
        if (command.Name is not ("write" or "writeTag"))
        {
            problem = $"Sparkplug carries only writes: '{command.Name}' is not 'write' or 'writeTag' with {{\"tag\", \"value\"}}";
            return false;
        }
        if (command.Args.ValueKind != JsonValueKind.Object || !command.Args.TryGetProperty("tag", out var t) || t.ValueKind != JsonValueKind.String
            || !command.Args.TryGetProperty("value", out var v))
        {
            problem = $"{command.Name} takes {{\"tag\": \"…\", \"value\": …}}";
            return false;
        }
        tag = t.GetString()!;
        switch (v.ValueKind)
        {
            case JsonValueKind.Number:
                value = v.TryGetInt64(out var whole) ? SampleValue.FromLong(whole) : SampleValue.FromDouble(v.GetDouble());
                return true;
            case JsonValueKind.True or JsonValueKind.False:
                value = SampleValue.FromBool(v.GetBoolean());
                return true;
            case JsonValueKind.String:
                value = SampleValue.FromString(v.GetString()!);
                return true;
            default:
                problem = "the value must be a number, a string or true/false";
                return false;
        }
    }

    /// <summary>Equal as written, allowing for a float metric's rounding (a Float32 holds ~7 significant digits).</summary>
    private static bool Matches(SampleValue written, SampleValue reported)
    {
        if (written.IsNumeric != reported.IsNumeric)
            return false;
        if (!written.IsNumeric)
            return written.AsString() == reported.AsString();
        double a = written.AsDouble(), b = reported.AsDouble();
        return Math.Abs(a - b) <= 1e-6 * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));
    }

    private static JsonElement Reported(string tag, Sample sample)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("tag", tag);
            json.WritePropertyName("reported");
            if (sample.Value.IsNumeric)
                json.WriteNumberValue(sample.Value.AsDouble());
            else
                json.WriteStringValue(sample.Value.AsString());
            json.WriteNumber("at", sample.Timestamp);
            json.WriteEndObject();
        }
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Command {CommandId} to Sparkplug device {DeviceId} not sent: {Problem}")]
    private static partial void LogSparkplugCommandRefused(ILogger logger, string commandId, string deviceId, string problem);

    private sealed record SparkplugWrite(string Device, string Tag, SampleValue Value, long ExpiresAt);
}
