using System.Diagnostics.CodeAnalysis;

namespace Fabrica.Protocols.Sparkplug;

public sealed partial class SparkplugHostApplication
{
    /// <summary>Was <paramref name="deviceId"/> born over Sparkplug in this run (online or not)? Its commands go as NCMD/DCMD.</summary>
    public bool IsSparkplugDevice(string deviceId)
    {
        lock (_gate)
            return _byDeviceId.ContainsKey(deviceId);
    }

    /// <summary>
    /// A command that writes <paramref name="value"/> to a Fabrica device's tag: DCMD for a Sparkplug device, NCMD for
    /// the edge node's own metrics, by alias when the birth gave one (§6.4.6), typed as the birth declared.
    /// </summary>
    /// <returns>False, with the reason, when the device is not online, has no such tag, or the value does not fit.</returns>
    public bool TryCreateWrite(string deviceId, string tag, SampleValue value, [NotNullWhen(true)] out SparkplugMessage? command, [NotNullWhen(false)] out string? error)
    {
        command = null;
        lock (_gate)
        {
            if (!_byDeviceId.TryGetValue(deviceId, out var entry) || !entry.Node.Online || entry.Device is { Online: false })
            {
                error = $"Device '{deviceId}' is not in a live Sparkplug session.";
                return false;
            }
            var (node, device) = entry;
            if (!(device?.Metrics ?? node.Metrics).ByTag.TryGetValue(tag, out var binding))
            {
                error = $"Device '{deviceId}' declared no tag '{tag}' in its birth.";
                return false;
            }
            SparkplugValue typed;
            try
            {
                typed = SparkplugValue.FromSampleValue(binding.DataType, value);
            }
            catch (ArgumentException e)
            {
                error = e.Message;
                return false;
            }
            var now = UnixTime.Now(_time);
            var metric = new SparkplugMetric(binding.Alias is null ? binding.Name : null, binding.Alias, now, typed);
            var topic = device is null
                ? SparkplugTopic.ForNode(node.GroupId, SparkplugMessageType.NCMD, node.EdgeNodeId)
                : SparkplugTopic.ForDevice(node.GroupId, SparkplugMessageType.DCMD, node.EdgeNodeId, device.SparkplugId);
            command = SparkplugCommands.Write(topic, [metric], now);
            error = null;
            return true;
        }
    }
}
