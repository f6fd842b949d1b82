using System.Text;
using Fabrica.Platform.Ingest;
using Fabrica.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Fabrica.Platform.Tests.Ingest;

/// <summary>Ingest against the real embedded engine in a temporary directory.</summary>
public sealed class TelemetryIngestStorageTests : IAsyncLifetime
{
    private const long Now = 1_764_480_000_000;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fabrica-ingest-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(Now));
    private TimeSeriesEngine? _engine;

    private StorageOptions Options => new() { Directory = _directory };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_engine is not null)
            await _engine.DisposeAsync();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    private async Task<TelemetryIngest> OpenAsync()
    {
        _engine = await TimeSeriesEngine.OpenAsync(Options, time: _time);
        return new TelemetryIngest(new StorageTelemetrySink(_engine), IngestLimits.For(Options), _time);
    }

    [Fact]
    public async Task Accepted_samples_are_durable_once_ingest_completes()
    {
        using (var ingest = await OpenAsync())
        {
            var outcome = await ingest.IngestAsync("press-7", Encoding.UTF8.GetBytes("""
                [{"ts": 1764479000000, "values": {"temperature": 71.2, "state": "RUN"}},
                 {"ts": "2025-11-30T05:03:20.0005Z", "q": "uncertain", "values": {"temperature": 71.9}}]
                """), IngestTransport.Mqtt);
            Assert.Equal(3, outcome.AcceptedSamples);
        }

        // Reopen from disk: the WAL alone must hold what was acknowledged.
        await _engine!.DisposeAsync();
        _engine = await TimeSeriesEngine.OpenAsync(Options, time: _time);

        Assert.Equal(
            [new Sample(1764479000000, 71.2), new Sample(1764479000001, 71.9, Quality.Uncertain)],
            _engine.ReadRaw(new SeriesKey("press-7", "temperature"), 0, long.MaxValue, 10));
        Assert.Equal(new Sample(1764479000000, "RUN"), _engine.ReadLatest(new SeriesKey("press-7", "state")));
    }

    [Fact]
    public async Task Server_time_samples_are_stored_at_the_injected_clock()
    {
        using var ingest = await OpenAsync();

        await ingest.IngestAsync("press-7", """{"running": true}"""u8.ToArray(), IngestTransport.Http);

        Assert.Equal(new Sample(Now, true), _engine!.ReadLatest(new SeriesKey("press-7", "running")));
    }

    [Fact]
    public async Task Nothing_of_a_rejected_message_reaches_storage()
    {
        using var ingest = await OpenAsync();

        var outcome = await ingest.IngestAsync("press-7", """[{"a": 1, "b": 2}, {"c": null}]"""u8.ToArray(), IngestTransport.Mqtt);

        Assert.False(outcome.IsAccepted);
        Assert.Empty(_engine!.ListSeries("press-7"));
    }

    [Fact]
    public async Task Concurrent_devices_are_all_stored()
    {
        using var ingest = await OpenAsync();

        await Task.WhenAll(Enumerable.Range(0, 16).Select(d => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                var json = $$$"""{"ts": {{{1764479000000 + i}}}, "values": {"temperature": {{{i}}}}}""";
                var outcome = await ingest.IngestAsync($"dev-{d}", Encoding.UTF8.GetBytes(json), IngestTransport.Mqtt);
                Assert.True(outcome.IsAccepted);
            }
        })));

        Assert.Equal(16 * 50, ingest.Metrics.Samples);
        Assert.All(Enumerable.Range(0, 16), d =>
            Assert.Equal(50, _engine!.ReadRaw(new SeriesKey($"dev-{d}", "temperature"), 0, long.MaxValue, 100).Count));
    }
}
