using Microsoft.Extensions.Logging;

namespace Fabrica.Edge.Uplink;

/// <summary>Log messages of the uplink (event ids 3200–3299).</summary>
internal static partial class Log
{
    [LoggerMessage(3201, LogLevel.Information, "Connected to the platform at {Host}:{Port}")]
    public static partial void Connected(ILogger logger, string host, int port);

    [LoggerMessage(3202, LogLevel.Warning, "Cannot connect to the platform at {Host}:{Port}: {Reason}; retrying in about {Seconds} s (samples are buffered on disk)")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, string reason, double seconds);

    [LoggerMessage(3203, LogLevel.Warning, "Connection to the platform lost: {Reason}; samples are buffered on disk until it returns")]
    public static partial void ConnectionLost(ILogger logger, string reason);

    [LoggerMessage(3204, LogLevel.Error, "The platform rejected {Samples} samples of device {Device} on {Topic}: {Code} {ReasonString}; they are dropped (resending cannot succeed)")]
    public static partial void Rejected(ILogger logger, int samples, string device, string topic, string code, string? reasonString);

    [LoggerMessage(3205, LogLevel.Information, "Configuration version {Version} received from the platform ({Bytes} bytes)")]
    public static partial void ConfigReceived(ILogger logger, string version, long bytes);

    [LoggerMessage(3206, LogLevel.Warning, "Configuration on {Topic} ignored: {Reason}")]
    public static partial void ConfigInvalid(ILogger logger, string topic, string reason);

    [LoggerMessage(3207, LogLevel.Warning, "The platform refused the subscription to {Topic}: {Code}; configuration pushes will not arrive")]
    public static partial void ConfigSubscriptionRefused(ILogger logger, string topic, string code);

    [LoggerMessage(3208, LogLevel.Warning, "The platform refused the status report: {Code}")]
    public static partial void StatusRefused(ILogger logger, string code);

    [LoggerMessage(3209, LogLevel.Warning, "Could not say goodbye to the platform: {Reason}; it will see the offline will instead")]
    public static partial void GoodbyeFailed(ILogger logger, string reason);

    [LoggerMessage(3210, LogLevel.Debug, "Backfill sent record {Seq} ({Samples} samples of {Device})")]
    public static partial void BackfillSent(ILogger logger, long seq, int samples, string device);

    [LoggerMessage(3211, LogLevel.Debug, "Backfill caught up; first unacknowledged record {Head}, {Pending} pending")]
    public static partial void BackfillCaughtUp(ILogger logger, long head, long pending);

    [LoggerMessage(3212, LogLevel.Trace, "Publishing record {Seq} to {Topic}")]
    public static partial void Publishing(ILogger logger, long seq, string topic);

    [LoggerMessage(3250, LogLevel.Information, "trace: publishing record {Seq} ({Path}) to {Topic}: {Samples} samples, timestamps {FirstTs}..{LastTs}")]
    public static partial void TracePublishing(ILogger logger, long seq, string path, string topic, int samples, long firstTs, long lastTs);

    [LoggerMessage(3251, LogLevel.Information, "trace: PUBACK for record {Seq}: {Code} (packet {PacketId})")]
    public static partial void TracePubAck(ILogger logger, long seq, string code, ushort? packetId);

    [LoggerMessage(3252, LogLevel.Information, "trace: publish of record {Seq} failed: {Reason}")]
    public static partial void TracePublishFailed(ILogger logger, long seq, string reason);

    [LoggerMessage(3213, LogLevel.Warning, "The platform refused an edge rule event on {Topic}: {Code}; it is dropped")]
    public static partial void EventRefused(ILogger logger, string topic, string code);
}
