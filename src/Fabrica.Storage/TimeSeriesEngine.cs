using Microsoft.Extensions.Logging;

namespace Fabrica.Storage;

/// <summary>
/// The embedded time-series engine (ARCHITECTURE.md §5): WAL with group commit, compressed head chunks,
/// immutable checksummed blocks, tiered roll-ups. Thread-safe; one instance per data directory.
/// CONTRACT ONLY — bodies are filled in by the storage work; signatures are what the host codes against.
/// </summary>
public sealed class TimeSeriesEngine : IAsyncDisposable
{
    private TimeSeriesEngine() { }

    /// <summary>Opens (or creates) the engine: loads blocks, replays the WAL, repairs a torn tail.</summary>
    public static Task<TimeSeriesEngine> OpenAsync(
        StorageOptions options,
        ILoggerFactory? loggers = null,
        TimeProvider? time = null,
        IProgress<StorageProgress>? progress = null,
        CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public RecoveryReport Recovery => throw new NotImplementedException();

    /// <summary>Appends samples; the task completes once the fsync covering them has returned (durable).</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<SeriesSample> samples, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public IReadOnlyList<SeriesInfo> ListSeries(string? device = null, string? tag = null) => throw new NotImplementedException();

    /// <summary>Raw samples of <paramref name="series"/> in <c>[from, to)</c>, oldest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<Sample> ReadRaw(SeriesKey series, long from, long to, int limit) => throw new NotImplementedException();

    /// <summary>Buckets of <paramref name="interval"/> aligned to the Unix epoch; a roll-up tier is used when it divides the interval.</summary>
    public AggregateResult ReadAggregates(SeriesKey series, long from, long to, TimeSpan interval, int limit) => throw new NotImplementedException();

    public Sample? ReadLatest(SeriesKey series) => throw new NotImplementedException();

    public StorageStatistics GetStatistics() => throw new NotImplementedException();

    public Task FlushAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task CompactAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task ApplyRetentionAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Consistent copy of a running engine into an empty directory.</summary>
    public Task BackupAsync(string targetDirectory, IProgress<StorageProgress>? progress = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Restores a backup into an engine directory that no engine has open.</summary>
    public static Task RestoreAsync(string backupDirectory, string targetDirectory, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Verifies every checksum of every block and WAL segment without opening the engine.</summary>
    public static StorageCheckReport Check(string directory, IProgress<StorageProgress>? progress = null) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
