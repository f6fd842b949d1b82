using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Fabrica.Storage.Wal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Benchmarks.Wal;

/// <summary>
/// Durable appends through group commit on the real disk: N appenders each append batches until the invocation's
/// samples are all acknowledged (fsynced). Reported time is per sample (OperationsPerInvoke); samples/s = 1e9 / Mean(ns).
/// The fsync p50/p99 of each configuration are printed at cleanup from the <c>fabrica.wal.fsync.duration</c> histogram.
/// Run: dotnet run -c Release --project bench/Fabrica.Benchmarks -- --filter '*WalDurableAppend*' --job short
/// </summary>
[MemoryDiagnoser]
public class WalDurableAppendBenchmarks
{
    private const int SamplesPerInvocation = 80_000;

    private readonly List<double> _fsyncs = [];
    private string _directory = "";
    private WriteAheadLog _log = null!;
    private MeterListener _listener = null!;
    private SeriesSample[][] _batches = [];

    [Params(1, 100, 1_000, 10_000)]
    public int BatchSize { get; set; }

    [Params(1, 8)]
    public int Appenders { get; set; }

    private int BatchesPerAppender => SamplesPerInvocation / BatchSize / Appenders;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Environment.GetEnvironmentVariable("FABRICA_BENCH_DIR") ?? Path.GetTempPath(), "fabrica-wal-bench-" + Guid.NewGuid().ToString("N"));
        _log = WriteAheadLog.Open(_directory, new WalOptions(64L * 1024 * 1024, TimeSpan.Zero), NullLogger.Instance, TimeProvider.System, _ => { }, out _);
        _batches = [.. Enumerable.Range(0, Appenders).Select(a => WalBenchmarkData.Batch(BatchSize, start: a * 1_000_000_000L))];
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "fabrica.wal.fsync.duration")
                    listener.EnableMeasurementEvents(instrument);
            },
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (_fsyncs)
                _fsyncs.Add(value);
        });
        _listener.Start();
    }

    [Benchmark(OperationsPerInvoke = SamplesPerInvocation)]
    public void DurableAppends() => AppendAllAsync().GetAwaiter().GetResult();

    private async Task AppendAllAsync()
    {
        var tasks = new Task[Appenders];
        for (var a = 0; a < Appenders; a++)
        {
            var batch = _batches[a];
            tasks[a] = Task.Run(async () =>
            {
                for (var i = 0; i < BatchesPerAppender; i++)
                    await _log.AppendAsync(batch);
            });
        }
        await Task.WhenAll(tasks);
    }

    /// <summary>Keeps the segment count bounded across iterations, outside the measured time.</summary>
    [IterationCleanup]
    public void DeleteOldSegments()
    {
        var segment = _log.RotateSegmentAsync().AsTask().GetAwaiter().GetResult();
        _log.DeleteSegmentsBefore(segment);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener.Dispose();
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
        double[] sorted;
        lock (_fsyncs)
            sorted = [.. _fsyncs.Order()];
        if (sorted.Length > 0)
        {
            var samples = (long)BatchesPerAppender * Appenders * BatchSize;
            Console.WriteLine($"// WAL fsync: batch {BatchSize}, appenders {Appenders}, samples/invocation {samples}: " +
                $"{sorted.Length} fsyncs, p50 {sorted[sorted.Length / 2]:F3} ms, p99 {sorted[(int)(sorted.Length * 0.99)]:F3} ms");
        }
    }
}
