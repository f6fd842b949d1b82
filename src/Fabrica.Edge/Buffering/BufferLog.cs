using Microsoft.Extensions.Logging;

namespace Fabrica.Edge.Buffering;

/// <summary>Log messages of the store-and-forward buffer (event ids 3100–3199; 3150 on: the delivery trace).</summary>
internal static partial class Log
{
    [LoggerMessage(3101, LogLevel.Warning, "Edge buffer full ({MaxBytes} bytes): dropped the oldest segment with {Records} unsent records ({Samples} samples)")]
    public static partial void BufferFullDropped(ILogger logger, long records, long samples, long maxBytes);

    [LoggerMessage(3102, LogLevel.Warning, "Edge buffer {Directory} repaired: {Repair}")]
    public static partial void BufferRepaired(ILogger logger, string directory, string repair);

    [LoggerMessage(3150, LogLevel.Information, "trace: appended record {Seq}: {Samples} samples of {Device}, timestamps {FirstTs}..{LastTs}")]
    public static partial void TraceAppended(ILogger logger, long seq, int samples, string device, long firstTs, long lastTs);

    [LoggerMessage(3151, LogLevel.Information, "trace: committed (fsynced) records {First}..{Last}; head {Head}")]
    public static partial void TraceCommitted(ILogger logger, long first, long last, long head);

    [LoggerMessage(3152, LogLevel.Information, "trace: head checkpoint saved: first unacknowledged record {Head}")]
    public static partial void TraceCheckpoint(ILogger logger, long head);

    [LoggerMessage(3153, LogLevel.Information, "trace: buffer opened: checkpoint head {SavedHead}, head {Head}, next {NextSeq}, segments {Segments}")]
    public static partial void TraceOpened(ILogger logger, long savedHead, long head, long nextSeq, string segments);

    [LoggerMessage(3154, LogLevel.Information, "trace: record {Seq} acknowledged; head {Head}")]
    public static partial void TraceAcknowledged(ILogger logger, long seq, long head);

    [LoggerMessage(3155, LogLevel.Information, "trace: record {Seq} released (not delivered)")]
    public static partial void TraceReleased(ILogger logger, long seq);
}
