using Microsoft.Extensions.Logging;

namespace Fabrica.Edge.Runtime;

/// <summary>Log messages of the runtime and the device loops (event ids 3300–3399).</summary>
internal static partial class Log
{
    [LoggerMessage(3301, LogLevel.Information, "Edge {EdgeId} started: {Devices} devices, {Tags} tags; buffer {Directory} holds {Pending} records from before")]
    public static partial void Started(ILogger logger, string edgeId, int devices, int tags, string directory, long pending);

    [LoggerMessage(3302, LogLevel.Information, "Edge {EdgeId} stopped; {Pending} records stay buffered for the next start")]
    public static partial void Stopped(ILogger logger, string edgeId, long pending);

    [LoggerMessage(3303, LogLevel.Warning, "Device {Device}: {Reason}; its tags are marked bad, retrying in {Seconds} s")]
    public static partial void DeviceFailed(ILogger logger, string device, string reason, double seconds);

    [LoggerMessage(3304, LogLevel.Information, "Device {Device} connected")]
    public static partial void DeviceConnected(ILogger logger, string device);

    [LoggerMessage(3305, LogLevel.Error, "Could not write {Samples} samples to the buffer: {Reason}; they are lost")]
    public static partial void BufferWriteFailed(ILogger logger, int samples, string reason);

    [LoggerMessage(3306, LogLevel.Warning, "Edge rule failed on {Device}/{Tag}: {Reason}")]
    public static partial void RuleFailed(ILogger logger, string device, string tag, string reason);

    [LoggerMessage(3307, LogLevel.Debug, "Device {Device}: poll group {PeriodMs} ms overran its period, {Skipped} polls skipped")]
    public static partial void PollOverrun(ILogger logger, string device, double periodMs, long skipped);

    [LoggerMessage(3309, LogLevel.Information, "Configuration version {Version} from the platform applied")]
    public static partial void ConfigApplied(ILogger logger, string version);

    [LoggerMessage(3310, LogLevel.Warning, "Configuration version {Version} from the platform refused; the rules in force keep running: {Reason}")]
    public static partial void ConfigRefused(ILogger logger, string version, string reason);

    [LoggerMessage(3311, LogLevel.Warning, "The pushed configuration at {Path} cannot be kept or read: {Reason}; after a restart the edge starts with the configuration file's rules")]
    public static partial void PushedConfigNotSaved(ILogger logger, string path, string reason);
}
