using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using Fabrica.Storage.Blocks;
using Fabrica.Storage.Head;
using Fabrica.Storage.Recovery;
using Fabrica.Storage.Retention;
using Fabrica.Storage.Wal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Storage;

/// <summary>
/// The embedded time-series engine (ARCHITECTURE.md §5): WAL with group commit, compressed head chunks,
/// immutable checksummed blocks, tiered roll-ups. Thread-safe; one instance per data directory.
/// Partial files by concern: Write, Query, Flush, Maintenance (compaction, retention), Backup, Log, Metrics.
/// </summary>
public sealed partial class TimeSeriesEngine : IAsyncDisposable
{
    private const string LockFileName = "engine.lock";

    private readonly StorageOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TierPlan _tiers;
    private readonly string _blocksDirectory;
    private readonly string _walDirectory;
    private readonly FileStream _directoryLock;
    private readonly ConcurrentDictionary<SeriesKey, MemSeries> _series = new();
    private readonly SemaphoreSlim _maintenance = new(1, 1);
    private readonly Lock _stateGate = new();
    private readonly EngineMetrics _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _flushSignal = new(0, 1);
    private WriteAheadLog _wal = null!;
    private ITimer? _flushTimer;
    private Task _background = Task.CompletedTask;
    private volatile EngineState _state;
    private long _nextId;
    private long _rawHorizon = long.MinValue;
    private int _flushRequested;
    private int _disposed;

    private TimeSeriesEngine(StorageOptions options, ILoggerFactory loggers, TimeProvider time, FileStream directoryLock)
    {
        _options = options;
        _logger = loggers.CreateLogger("Fabrica.Storage");
        _time = time;
        _tiers = TierPlan.From(options.Tiers);
        _blocksDirectory = Path.Combine(options.Directory, "blocks");
        _walDirectory = Path.Combine(options.Directory, "wal");
        _directoryLock = directoryLock;
        _state = new EngineState([], []);
        _metrics = new EngineMetrics(this);
        Recovery = new RecoveryReport(0, [], 0, 0, [], TimeSpan.Zero);
    }

    /// <summary>Blocks ordered by sequence range, and unflushed head generations, oldest first (the last is live).</summary>
    private sealed record EngineState(ImmutableArray<Block> Blocks, ImmutableArray<HeadGeneration> Heads)
    {
        public HeadGeneration Live => Heads[^1];
    }

    /// <summary>Opens (or creates) the engine: loads blocks, replays the WAL, repairs a torn tail.</summary>
    public static Task<TimeSeriesEngine> OpenAsync(
        StorageOptions options,
        ILoggerFactory? loggers = null,
        TimeProvider? time = null,
        IProgress<StorageProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ChunkSamples is < 1 or > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(options), "ChunkSamples must be 1..65535.");
        return Task.Run(() => Open(options, loggers ?? NullLoggerFactory.Instance, time ?? TimeProvider.System, progress), cancellationToken);
    }

    private static TimeSeriesEngine Open(StorageOptions options, ILoggerFactory loggers, TimeProvider time, IProgress<StorageProgress>? progress)
    {
        var started = Stopwatch.GetTimestamp();
        Directory.CreateDirectory(options.Directory);
        // One engine per directory: an exclusive lock file (flock on Unix) turns a second open into an IOException.
        var directoryLock = new FileStream(Path.Combine(options.Directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var engine = new TimeSeriesEngine(options, loggers, time, directoryLock);
        try
        {
            engine.Recover(loggers, started, progress);
            return engine;
        }
        catch
        {
            engine.DisposeResources();
            throw;
        }
    }

    private void Recover(ILoggerFactory loggers, long started, IProgress<StorageProgress>? progress)
    {
        Directory.CreateDirectory(_blocksDirectory);
        Directory.CreateDirectory(_walDirectory);
        var loaded = BlockLoader.Load(_blocksDirectory, _options.VerifyBlocksOnOpen, _logger, progress);
        _rawHorizon = ReadRawHorizon();
        foreach (var block in loaded.Blocks)
            RegisterBlockSeries(block);
        _nextId = loaded.MaxId;

        var replayed = new HeadGeneration(++_nextId);
        _state = new EngineState([.. loaded.Blocks], [replayed]);
        progress?.Report(new StorageProgress("open: wal", 0, 1));
        _wal = WriteAheadLog.Open(_walDirectory, new WalOptions(_options.WalSegmentBytes, _options.GroupCommitWindow),
            loggers.CreateLogger("Fabrica.Storage.Wal"), _time, samples => Insert(replayed, samples), out var report);
        foreach (var repair in report.Repairs)
            Log.WalRepaired(_logger, repair);
        progress?.Report(new StorageProgress("open: wal", 1, 1));

        var elapsed = Stopwatch.GetElapsedTime(started);
        Recovery = new RecoveryReport(loaded.Blocks.Count, loaded.Damaged, report.Records, report.Samples, report.Repairs, elapsed);
        Log.Opened(_logger, elapsed, loaded.Blocks.Count, _series.Count, report.Samples, report.Records);
        StartBackground();
    }

    private long ReadRawHorizon()
    {
        try
        {
            return RawHorizonFile.Read(_options.Directory);
        }
        catch (BlockFormatException ex)
        {
            // Without the file we cannot know how much raw data retention dropped: assume the most it could have.
            var horizon = RawCutoff(UnixTime.Now(_time));
            Log.HorizonDamaged(_logger, RawHorizonFile.FileName, ex.Message, horizon);
            RawHorizonFile.Write(_options.Directory, horizon);
            return horizon;
        }
    }

    /// <summary>Makes the series of a block known: ListSeries and ReadLatest answer from memory afterwards.</summary>
    private void RegisterBlockSeries(Block block)
    {
        foreach (var entry in block.Series.Values)
        {
            var series = GetSeries(entry.Key);
            lock (series.Gate)
            {
                foreach (var chunk in entry.Chunks)
                {
                    series.FirstTimestamp = Math.Min(series.FirstTimestamp, chunk.MinTimestamp);
                    if (chunk.MaxTimestamp >= series.LastTimestamp)
                    {
                        series.LastTimestamp = chunk.MaxTimestamp;
                        series.LastKind = chunk.Kind;
                    }
                    series.UnresolvedBlockLatest = Math.Max(series.UnresolvedBlockLatest, chunk.MaxTimestamp);
                }
                foreach (var rollup in entry.Rollups)
                {
                    series.FirstTimestamp = Math.Min(series.FirstTimestamp, rollup.FirstBucket);
                    series.LastTimestamp = Math.Max(series.LastTimestamp, rollup.LastBucket);
                }
            }
        }
    }

    private MemSeries GetSeries(SeriesKey key) =>
        _series.TryGetValue(key, out var series) ? series : _series.GetOrAdd(key, static k => new MemSeries(k));

    public RecoveryReport Recovery { get; private set; }

    private long HeadSamples()
    {
        long total = 0;
        foreach (var generation in _state.Heads)
            total += generation.Samples;
        return total;
    }

    private long BlockBytes()
    {
        long total = 0;
        foreach (var block in _state.Blocks)
            total += block.FileBytes;
        return total;
    }

    public StorageStatistics GetStatistics()
    {
        ThrowIfDisposed();
        var state = _state;
        return new StorageStatistics(_series.Count, HeadSamples(), state.Blocks.Length, BlockBytes(), _wal.SizeBytes);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>Stops background work and closes files. The head is not flushed: the WAL already holds it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _background.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        // Wait for a flush or compaction in progress, so no file is half written when the lock is released.
        await _maintenance.WaitAsync().ConfigureAwait(false);
        if (_wal is not null)
            await _wal.DisposeAsync().ConfigureAwait(false);
        DisposeResources();
    }

    private void DisposeResources()
    {
        _flushTimer?.Dispose();
        foreach (var block in _state.Blocks)
            block.Dispose();
        _metrics.Dispose();
        _stopping.Dispose();
        _maintenance.Dispose();
        _flushSignal.Dispose();
        _directoryLock.Dispose();
    }
}
