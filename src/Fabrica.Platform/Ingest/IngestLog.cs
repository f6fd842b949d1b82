using Microsoft.Extensions.Logging;

namespace Fabrica.Platform.Ingest;

/// <summary>
/// Log events of the ingest stage; ids 2100–2199 are reserved for it and never reused.
/// A rejection is a Warning up to <see cref="RejectionLogBudget"/>'s rate and Debug beyond it, so that one
/// misconfigured fleet cannot flood the log; the counters stay exact either way.
/// </summary>
internal static partial class IngestLog
{
    [LoggerMessage(EventId = 2101, EventName = "TelemetryRejected", Level = LogLevel.Warning,
        Message = "Dropped telemetry from {Device} over {Transport}: {Reason} at {Field}: {Detail}")]
    public static partial void Rejected(ILogger logger, string device, IngestTransport transport, string reason, string? field, string detail);

    [LoggerMessage(EventId = 2102, EventName = "TelemetryRejectedQuietly", Level = LogLevel.Debug,
        Message = "Dropped telemetry from {Device} over {Transport}: {Reason} at {Field}: {Detail}")]
    public static partial void RejectedQuietly(ILogger logger, string device, IngestTransport transport, string reason, string? field, string detail);

    [LoggerMessage(EventId = 2103, EventName = "TelemetryRejectionsSuppressed", Level = LogLevel.Warning,
        Message = "{Count} more telemetry rejections were logged at Debug only (more than {Budget} per second); fabrica.ingest.rejected counts them all")]
    public static partial void RejectionsSuppressed(ILogger logger, long count, int budget);

    [LoggerMessage(EventId = 2104, EventName = "TelemetryStoreFailed", Level = LogLevel.Error,
        Message = "Storing {Count} samples from {Device} failed; the device is not acknowledged")]
    public static partial void StoreFailed(ILogger logger, Exception exception, int count, string device);

    [LoggerMessage(EventId = 2105, EventName = "TelemetryStored", Level = LogLevel.Trace,
        Message = "Stored {Count} samples from {Device} over {Transport}")]
    public static partial void Stored(ILogger logger, int count, string device, IngestTransport transport);
}

/// <summary>At most <see cref="PerSecond"/> rejections per second are logged as warnings; the rest go to Debug.</summary>
internal sealed class RejectionLogBudget(TimeProvider time)
{
    public const int PerSecond = 10;

    private readonly Lock _lock = new();
    private long _windowStart = long.MinValue;
    private int _used;
    private long _suppressed;

    /// <summary>True when this rejection may be a warning; <paramref name="suppressedBefore"/> counts the quiet ones since the last window.</summary>
    public bool TryTake(out long suppressedBefore)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            suppressedBefore = 0;
            if (_windowStart == long.MinValue || time.GetElapsedTime(_windowStart, now) >= TimeSpan.FromSeconds(1))
            {
                suppressedBefore = _suppressed;
                _suppressed = 0;
                _used = 0;
                _windowStart = now;
            }

            if (_used < PerSecond)
            {
                _used++;
                return true;
            }

            _suppressed++;
            return false;
        }
    }
}
