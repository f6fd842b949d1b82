using Microsoft.Extensions.Logging;

namespace Fabrica.Storage.Wal;

/// <summary>Log messages of the write-ahead log; event ids 1100–1199 are reserved for it and stay stable.</summary>
internal static partial class WalLog
{
    [LoggerMessage(1100, LogLevel.Information, "WAL replayed {Records} records ({Samples} samples) from {Segments} segments in {ElapsedMs} ms; appending to segment {Segment}")]
    public static partial void Replayed(ILogger logger, long records, long samples, int segments, long elapsedMs, long segment);

    [LoggerMessage(1101, LogLevel.Warning, "WAL segment {Path} truncated at offset {Offset}: {Reason}; the records before it were replayed")]
    public static partial void TailTruncated(ILogger logger, string path, long offset, string reason);

    [LoggerMessage(1102, LogLevel.Warning, "WAL segment {Path} is damaged at offset {Offset}: {Reason}; the rest of this segment is skipped, later segments are replayed")]
    public static partial void SegmentDamaged(ILogger logger, string path, long offset, string reason);

    [LoggerMessage(1103, LogLevel.Error, "WAL segment {Path} cannot be read (offset {Offset}): {Reason}; it is skipped and left untouched")]
    public static partial void SegmentUnreadable(ILogger logger, string path, long offset, string reason);

    [LoggerMessage(1104, LogLevel.Warning, "WAL segment {Path} has no complete header (a crash while it was created) and holds no records; it was removed")]
    public static partial void IncompleteSegmentRemoved(ILogger logger, string path);

    [LoggerMessage(1105, LogLevel.Warning, "WAL segments {First} to {Last} are missing; the records they held are lost")]
    public static partial void SegmentsMissing(ILogger logger, long first, long last);

    [LoggerMessage(1106, LogLevel.Error, "WAL commit of {Bytes} bytes to {Path} failed; {Appends} appends were failed and the bytes were erased")]
    public static partial void CommitFailed(ILogger logger, Exception exception, long bytes, string path, int appends);

    [LoggerMessage(1107, LogLevel.Critical, "WAL segment {Path} could not be restored after a failed commit; the log refuses appends until it is reopened")]
    public static partial void Faulted(ILogger logger, Exception exception, string path);

    [LoggerMessage(1108, LogLevel.Debug, "WAL segment {Previous} closed at {Bytes} bytes, appending to segment {Segment}")]
    public static partial void Rotated(ILogger logger, long previous, long bytes, long segment);

    [LoggerMessage(1109, LogLevel.Debug, "WAL segments before {Segment} deleted ({Count} files, {Bytes} bytes)")]
    public static partial void SegmentsDeleted(ILogger logger, long segment, int count, long bytes);

    [LoggerMessage(1110, LogLevel.Warning, "WAL segment {Path} could not be trimmed after closing; its zero tail stays")]
    public static partial void SealFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(1111, LogLevel.Error, "WAL segment {Path} could not be deleted")]
    public static partial void DeleteFailed(ILogger logger, Exception exception, string path);
}
