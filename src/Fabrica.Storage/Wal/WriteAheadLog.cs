using Microsoft.Extensions.Logging;

namespace Fabrica.Storage.Wal;

/// <summary>
/// The write-ahead log (ARCHITECTURE.md §5): CRC-checked records in numbered segment files, appended by one
/// committer thread that writes every pending append with one write and one fsync (group commit). Layout in
/// <see cref="WalFormat"/> and <see cref="WalRecordEncoder"/>; the committer in WriteAheadLog.Committer.cs.
/// Thread-safe.
/// </summary>
internal sealed partial class WriteAheadLog : IAsyncDisposable
{
    private readonly string _directory;
    private readonly WalOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    private readonly Lock _segmentsLock = new();
    private readonly SortedDictionary<long, long> _closedSegments = []; // number → bytes, oldest first
    private readonly HashSet<long> _unreadableSegments = [];
    private long _closedBytes;
    private WalSegmentWriter _writer;

    private WriteAheadLog(string directory, WalOptions options, ILogger logger, TimeProvider time, WalSegmentWriter writer)
    {
        _directory = directory;
        _options = options;
        _logger = logger;
        _time = time;
        _writer = writer;
        _slots = new SemaphoreSlim(options.MaxPendingAppends, options.MaxPendingAppends);
        _committer = new Thread(RunCommitter) { IsBackground = true, Name = "Fabrica WAL committer" };
    }

    public long CurrentSegment => Volatile.Read(ref _writer).Number;

    /// <summary>Bytes of all segments on disk, counting the current one up to its last commit.</summary>
    public long SizeBytes => Interlocked.Read(ref _closedBytes) + Volatile.Read(ref _writer).End;

    public static WriteAheadLog Open(string directory, WalOptions options, ILogger logger, TimeProvider time, ReplayHandler replay, out WalReplayReport report)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.SegmentBytes, WalFormat.SegmentHeaderBytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.GroupCommitWindow, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPendingAppends, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.PreallocationChunkBytes, nameof(options));

        var started = time.GetTimestamp();
        Directory.CreateDirectory(directory);
        var segments = ListSegments(directory);
        var repairs = new List<string>();
        var found = new List<long>();
        var closed = new SortedDictionary<long, long>();
        var unreadable = new HashSet<long>();
        long records = 0, samples = 0;
        var decoder = new WalRecordDecoder();

        for (var i = 0; i < segments.Count; i++)
        {
            var (number, path) = segments[i];
            var last = i == segments.Count - 1;
            if (i > 0 && number != segments[i - 1].Number + 1)
            {
                WalLog.SegmentsMissing(logger, segments[i - 1].Number + 1, number - 1);
                repairs.Add($"segments {segments[i - 1].Number + 1} to {number - 1} are missing");
            }
            found.Add(number);

            var scan = WalSegmentReader.Scan(path, number, (_, payload) =>
            {
                var batch = decoder.Decode(payload);
                replay(batch);
                samples += batch.Length;
            });
            records += scan.Records;

            switch (scan.Outcome)
            {
                case WalScanOutcome.Clean:
                    if (last && scan.FileLength > scan.ValidEnd)
                        Truncate(path, scan.ValidEnd); // the unused preallocated tail of a crashed run
                    break;
                case WalScanOutcome.Damaged when last:
                    WalLog.TailTruncated(logger, path, scan.ProblemOffset, scan.Problem!);
                    repairs.Add($"{path}: truncated at offset {scan.ProblemOffset}: {scan.Problem}");
                    Truncate(path, scan.ValidEnd);
                    break;
                case WalScanOutcome.Damaged:
                    WalLog.SegmentDamaged(logger, path, scan.ProblemOffset, scan.Problem!);
                    repairs.Add($"{path}: damaged at offset {scan.ProblemOffset}: {scan.Problem}; the rest of the segment was skipped");
                    break;
                case WalScanOutcome.IncompleteHeader when last:
                    // Commits start only after the header's fsync, so this file never held a record.
                    WalLog.IncompleteSegmentRemoved(logger, path);
                    repairs.Add($"{path}: {scan.Problem}; removed");
                    File.Delete(path);
                    continue;
                default:
                    WalLog.SegmentUnreadable(logger, path, scan.ProblemOffset, scan.Problem!);
                    repairs.Add($"{path}: unreadable at offset {scan.ProblemOffset}: {scan.Problem}; skipped and left untouched");
                    unreadable.Add(number);
                    break;
            }
            closed[number] = new FileInfo(path).Length;
        }

        var next = (closed.Count > 0 ? closed.Keys.Max() : 0) + 1;
        var writer = WalSegmentWriter.Create(directory, next, options);
        var wal = new WriteAheadLog(directory, options, logger, time, writer);
        foreach (var (number, bytes) in closed)
        {
            wal._closedSegments[number] = bytes;
            wal._closedBytes += bytes;
        }
        wal._unreadableSegments.UnionWith(unreadable);
        wal._committer.Start();

        WalLog.Replayed(logger, records, samples, found.Count, (long)time.GetElapsedTime(started).TotalMilliseconds, next);
        report = new WalReplayReport(records, samples, repairs, found);
        return wal;
    }

    /// <summary>
    /// Deletes the segments numbered below <paramref name="segment"/> (never the current one). Segments that could
    /// not be read are kept: their data may belong to a newer format and was never replayed.
    /// </summary>
    public void DeleteSegmentsBefore(long segment)
    {
        var limit = Math.Min(segment, CurrentSegment);
        int count = 0;
        long bytes = 0;
        lock (_segmentsLock)
        {
            foreach (var (number, size) in _closedSegments.TakeWhile(s => s.Key < limit).ToList())
            {
                if (_unreadableSegments.Contains(number))
                    continue;
                var path = SegmentPath(number);
                try
                {
                    File.Delete(path);
                }
                catch (IOException e)
                {
                    WalLog.DeleteFailed(_logger, e, path);
                    continue;
                }
                _closedSegments.Remove(number);
                Interlocked.Add(ref _closedBytes, -size);
                count++;
                bytes += size;
            }
        }
        if (count > 0)
            WalLog.SegmentsDeleted(_logger, limit, count, bytes);
    }

    /// <summary>Offline verification for <c>fabrica storage check</c>: reads and decodes every record of every segment.</summary>
    public static IReadOnlyList<FileCheck> Check(string directory)
    {
        if (!Directory.Exists(directory))
            return [];
        var checks = new List<FileCheck>();
        var decoder = new WalRecordDecoder();
        var segments = ListSegments(directory);
        for (var i = 0; i < segments.Count; i++)
        {
            var (number, path) = segments[i];
            try
            {
                var scan = WalSegmentReader.Scan(path, number, (_, payload) => decoder.Decode(payload));
                checks.Add(scan.Outcome == WalScanOutcome.Clean
                    ? new FileCheck(path, true, null)
                    : new FileCheck(path, false, $"offset {scan.ProblemOffset}: {scan.Problem}" +
                        (i == segments.Count - 1 && scan.Outcome == WalScanOutcome.Damaged ? " (a torn tail: opening the log truncates it)" : "")));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                checks.Add(new FileCheck(path, false, $"cannot read: {e.Message}"));
            }
        }
        return checks;
    }

    private string SegmentPath(long number) => Path.Combine(_directory, WalFormat.SegmentFileName(number));

    private static List<(long Number, string Path)> ListSegments(string directory)
    {
        var segments = new List<(long Number, string Path)>();
        foreach (var path in Directory.EnumerateFiles(directory, "*" + WalFormat.SegmentExtension))
        {
            if (WalFormat.TryParseSegmentFileName(Path.GetFileName(path), out var number))
                segments.Add((number, path));
        }
        segments.Sort((a, b) => a.Number.CompareTo(b.Number));
        return segments;
    }

    private static void Truncate(string path, long length)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        RandomAccess.SetLength(handle, length);
        RandomAccess.FlushToDisk(handle);
    }
}
