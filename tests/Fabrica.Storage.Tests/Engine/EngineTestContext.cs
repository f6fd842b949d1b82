using Microsoft.Extensions.Time.Testing;

namespace Fabrica.Storage.Tests.Engine;

/// <summary>A temporary engine directory, a fake clock and helpers to open, write and reopen an engine.</summary>
internal sealed class EngineTestContext : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public EngineTestContext(Func<StorageOptions, StorageOptions>? configure = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "fabrica-storage-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Time = new FakeTimeProvider(Start);
        var options = new StorageOptions { Directory = Directory, ChunkSamples = 16, FlushInterval = TimeSpan.FromDays(365) };
        Options = configure is null ? options : configure(options);
    }

    public string Directory { get; }

    public FakeTimeProvider Time { get; }

    public StorageOptions Options { get; set; }

    public TimeSeriesEngine? Engine { get; private set; }

    public static long T0 => Start.ToUnixTimeMilliseconds();

    public async Task<TimeSeriesEngine> OpenAsync()
    {
        Engine = await TimeSeriesEngine.OpenAsync(Options, time: Time);
        return Engine;
    }

    public async Task<TimeSeriesEngine> ReopenAsync()
    {
        if (Engine is not null)
            await Engine.DisposeAsync();
        return await OpenAsync();
    }

    public string BlocksDirectory => Path.Combine(Directory, "blocks");

    public string[] BlockFiles() => System.IO.Directory.GetFiles(BlocksDirectory, "*.blk").Order(StringComparer.Ordinal).ToArray();

    public static SeriesSample S(string device, string tag, long ts, SampleValue value) => new(new SeriesKey(device, tag), new Sample(ts, value));

    public async ValueTask DisposeAsync()
    {
        if (Engine is not null)
            await Engine.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
