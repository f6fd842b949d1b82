using Fabrica.Protocols.Sparkplug;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace Fabrica.Edge.Uplink;

/// <summary>
/// NCMD and DCMD for the Sparkplug uplink (§5.17): <c>Node Control/Rebirth</c> = true republishes NBIRTH and every
/// DBIRTH (same bdSeq, seq from 0); other metrics are writes, routed to the device adapter through the runtime's
/// write path (<see cref="Pipeline.IEdgeActions"/>, the one edge rules and platform commands use). Each command
/// runs off the MQTT receive loop; a bad command is logged and counted, never fatal.
/// </summary>
internal sealed partial class EdgeUplink
{
    private long _sparkplugCommandErrors;

    /// <summary>NCMD/DCMD metrics that could not be applied (malformed, unknown metric, write failed).</summary>
    public long SparkplugCommandErrors => Interlocked.Read(ref _sparkplugCommandErrors);

    /// <summary>True when the message is an NCMD/DCMD for this edge node (then it is handled in the background).</summary>
    private bool TryDispatchSparkplugCommand(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        if (!IsSparkplug || !topic.StartsWith(SparkplugTopic.Namespace + "/", StringComparison.Ordinal))
            return false;
        var payload = System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload);
        _ = Task.Run(() => HandleSparkplugCommandAsync(topic, payload), CancellationToken.None);
        return true;
    }

    private async Task HandleSparkplugCommandAsync(string topic, byte[] payload)
    {
        SparkplugEdgeCommand command;
        await _sparkplugOrder.WaitAsync().ConfigureAwait(false);
        try
        {
            // Under the order lock: a rebirth resets seq, so no DDATA may be created between it and its births.
            command = SparkplugNode.HandleCommand(topic, payload);
            foreach (var birth in command.Births)
                await PublishSparkplugAsync(birth, CancellationToken.None).ConfigureAwait(false);
            if (command.RebirthRequested)
                Log.SparkplugRebirth(_logger, topic);
        }
        catch (Exception ex) when (ex is SparkplugProtocolException or InvalidOperationException or TimeoutException or MQTTnet.Exceptions.MqttCommunicationException)
        {
            Interlocked.Increment(ref _sparkplugCommandErrors);
            Log.SparkplugCommandFailed(_logger, topic, ex.Message);
            return;
        }
        finally
        {
            _sparkplugOrder.Release();
        }

        foreach (var write in command.Writes)
        {
            try
            {
                if (write.DeviceId is null || DeviceWriter is not { } writer)
                    throw new InvalidOperationException(write.DeviceId is null ? "the edge node has no writable metrics of its own" : "no device write path is attached");
                if (!write.Value.TryToSampleValue(out var value))
                    throw new InvalidOperationException($"a {write.Value.DataType} value cannot be written to a device");
                await writer.WriteTagAsync(write.DeviceId, write.MetricName, value).ConfigureAwait(false);
                Log.SparkplugWrite(_logger, write.DeviceId, write.MetricName, value.ToString());
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Interlocked.Increment(ref _sparkplugCommandErrors);
                Log.SparkplugCommandFailed(_logger, topic, $"write of {write.MetricName}: {ex.Message}");
            }
        }
    }
}

/// <summary>Log messages of the Sparkplug uplink (event ids 3260–3269).</summary>
internal static partial class Log
{
    [LoggerMessage(3260, LogLevel.Information, "Sparkplug edge node {Group}/{EdgeNode} born (bdSeq {BdSeq}, {Devices} devices)")]
    public static partial void SparkplugBorn(ILogger logger, string group, string edgeNode, byte bdSeq, int devices);

    [LoggerMessage(3261, LogLevel.Warning, "The platform refused the Sparkplug subscription {Topic}: {Code}; commands will not arrive")]
    public static partial void SparkplugSubscriptionRefused(ILogger logger, string topic, string code);

    [LoggerMessage(3262, LogLevel.Warning, "{Count} samples of {Device} are not sent over Sparkplug: their tag is not in the birth or the value does not fit its datatype")]
    public static partial void SparkplugUnfitSamples(ILogger logger, int count, string device);

    [LoggerMessage(3263, LogLevel.Information, "Device {Device} is {State}: DDEATH published")]
    public static partial void SparkplugDeviceDeath(ILogger logger, string device, string state);

    [LoggerMessage(3264, LogLevel.Information, "Rebirth requested on {Topic}: NBIRTH and DBIRTHs republished")]
    public static partial void SparkplugRebirth(ILogger logger, string topic);

    [LoggerMessage(3265, LogLevel.Warning, "Sparkplug command on {Topic} not applied: {Reason}")]
    public static partial void SparkplugCommandFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(3266, LogLevel.Information, "Sparkplug command wrote {Value} to {Device}/{Tag}")]
    public static partial void SparkplugWrite(ILogger logger, string device, string tag, string value);
}
