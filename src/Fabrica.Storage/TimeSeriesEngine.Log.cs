using Microsoft.Extensions.Logging;

namespace Fabrica.Storage;

public sealed partial class TimeSeriesEngine
{
    /// <summary>Log messages of the storage engine; event ids 1000–1099 are stable and documented in docs/storage.md.</summary>
    internal static partial class Log
    {
        [LoggerMessage(1000, LogLevel.Information, "Storage opened in {Elapsed}: {Blocks} blocks, {Series} series, {Samples} samples replayed from {Records} WAL records")]
        public static partial void Opened(ILogger logger, TimeSpan elapsed, int blocks, int series, long samples, long records);

        [LoggerMessage(1001, LogLevel.Warning, "Block {Path} is damaged: {Problem}")]
        public static partial void BlockDamaged(ILogger logger, string path, string problem);

        [LoggerMessage(1002, LogLevel.Information, "Deleted leftover temporary file {Path}")]
        public static partial void TempFileDeleted(ILogger logger, string path);

        [LoggerMessage(1003, LogLevel.Information, "Deleted block {Path}, which a newer block replaces (finishing an interrupted compaction or retention)")]
        public static partial void ReplacedBlockDeleted(ILogger logger, string path);

        [LoggerMessage(1004, LogLevel.Warning, "WAL repaired at open: {Repair}")]
        public static partial void WalRepaired(ILogger logger, string repair);

        [LoggerMessage(1005, LogLevel.Warning, "Retention state {Path} is damaged ({Problem}); assuming raw data before {Horizon} may be gone")]
        public static partial void HorizonDamaged(ILogger logger, string path, string problem, long horizon);

        [LoggerMessage(1010, LogLevel.Information, "Flushed head generation {Generation} to block {Block}: {Series} series, {Samples} samples, {Bytes} bytes in {Elapsed}")]
        public static partial void Flushed(ILogger logger, long generation, string block, long series, long samples, long bytes, TimeSpan elapsed);

        [LoggerMessage(1020, LogLevel.Information, "Compacted {Count} blocks into {Block} ({Bytes} bytes) in {Elapsed}")]
        public static partial void Compacted(ILogger logger, int count, string block, long bytes, TimeSpan elapsed);

        [LoggerMessage(1030, LogLevel.Information, "Retention: raw data before {RawCutoff} dropped; {Rewritten} blocks rewritten, {Deleted} deleted")]
        public static partial void RetentionApplied(ILogger logger, long rawCutoff, int rewritten, int deleted);

        [LoggerMessage(1040, LogLevel.Information, "Backup of {Files} files ({Bytes} bytes) written to {Directory}")]
        public static partial void BackupWritten(ILogger logger, int files, long bytes, string directory);

        [LoggerMessage(1050, LogLevel.Error, "Background {Operation} failed; it is retried at the next interval")]
        public static partial void MaintenanceFailed(ILogger logger, string operation, Exception exception);
    }
}
