using Fabrica.Storage.Wal;
using Microsoft.Extensions.Logging;

namespace Fabrica.Storage.Tests.Wal;

/// <summary>A temporary directory for one test, removed afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fabrica-wal-" + Guid.NewGuid().ToString("N"));

    public string Segment(long number) => System.IO.Path.Combine(Path, WalFormat.SegmentFileName(number));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

/// <summary>Keeps every log entry so tests can assert on warnings and event ids.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly List<(LogLevel Level, EventId Id, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, EventId Id, string Message)> Entries
    {
        get
        {
            lock (_entries)
                return [.. _entries];
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
            _entries.Add((logLevel, eventId, formatter(state, exception)));
    }
}

/// <summary>The outcome of opening a log: what was replayed, what was reported, the open log.</summary>
internal sealed class OpenedLog(WriteAheadLog log, List<SeriesSample[]> records, WalReplayReport report, ListLogger logger) : IAsyncDisposable
{
    public WriteAheadLog Log { get; } = log;

    public List<SeriesSample[]> Records { get; } = records;

    public WalReplayReport Report { get; } = report;

    public ListLogger Logger { get; } = logger;

    public SeriesSample[] Samples => [.. Records.SelectMany(r => r)];

    public ValueTask DisposeAsync() => Log.DisposeAsync();

    public static OpenedLog Open(string directory, WalOptions? options = null)
    {
        var records = new List<SeriesSample[]>();
        var logger = new ListLogger();
        var log = WriteAheadLog.Open(directory, options ?? WalSamples.Options, logger, TimeProvider.System,
            samples => records.Add(samples.ToArray()), out var report);
        return new OpenedLog(log, records, report, logger);
    }
}

internal static class WalSamples
{
    public static WalOptions Options { get; } = new(SegmentBytes: 64L * 1024 * 1024, GroupCommitWindow: TimeSpan.Zero);

    /// <summary>Every value kind and quality, with edge values (NaN payload, -0.0, extremes, non-ASCII text).</summary>
    public static SeriesSample[] EveryKind(long start = 1_700_000_000_000)
    {
        var press = new SeriesKey("press-7", "temperature");
        var counter = new SeriesKey("press-7", "cycles");
        var door = new SeriesKey("line.2", "door_open");
        var batch = new SeriesKey("line.2", "batch-id");
        return
        [
            new(press, new Sample(start, 21.5)),
            new(press, new Sample(start + 1000, double.NaN, Quality.Uncertain)),
            new(press, new Sample(start + 999, BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0123), Quality.Bad)),
            new(press, new Sample(start - 5000, -0.0)),
            new(press, new Sample(long.MaxValue, double.PositiveInfinity)),
            new(counter, new Sample(long.MinValue, long.MinValue)),
            new(counter, new Sample(0, long.MaxValue, Quality.Uncertain)),
            new(counter, new Sample(-1, -1L)),
            new(door, new Sample(start, true)),
            new(door, new Sample(start + 1, false, Quality.Bad)),
            new(batch, new Sample(start, "B-2024-0001")),
            new(batch, new Sample(start + 2, "", Quality.Uncertain)),
            new(batch, new Sample(start + 3, "Ölpumpe Störung ⚠ 温度 🌡")),
            new(new SeriesKey("温度计", "Température"), new Sample(start, 1L)),
        ];
    }

    public static SeriesSample[] Batch(int count, int series = 50, long start = 1_700_000_000_000, int salt = 0)
    {
        var keys = Enumerable.Range(0, series).Select(i => new SeriesKey($"dev-{i % 10}", $"tag-{i}")).ToArray();
        var samples = new SeriesSample[count];
        for (var i = 0; i < count; i++)
            samples[i] = new SeriesSample(keys[i % series], new Sample(start + i * 10L, (double)(i + salt) * 0.25));
        return samples;
    }
}
