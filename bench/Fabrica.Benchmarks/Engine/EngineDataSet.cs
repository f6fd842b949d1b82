using Fabrica.Storage;

namespace Fabrica.Benchmarks.Engine;

/// <summary>The synthetic plant of the storage benchmarks: 1,000 series (100 devices × 10 tags) sampled at 1 Hz.</summary>
internal static class EngineDataSet
{
    public const int SeriesCount = 1000;
    public const int Writers = 4;
    public const int SecondsPerBatch = 10;

    public static readonly long T0 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static readonly SeriesKey[] Keys = Enumerable.Range(0, SeriesCount).Select(i => new SeriesKey($"dev{i / 10}", $"tag{i % 10}")).ToArray();

    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "fabrica-bench", Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Writes seconds [from, to) of every series: <see cref="Writers"/> concurrent writers, each awaiting durable
    /// batches of 250 series × 10 s = 2,500 samples. Values are plausible sensor readings (2 decimals).
    /// </summary>
    public static async Task WriteAsync(TimeSeriesEngine engine, int fromSecond, int toSecond)
    {
        var tasks = new Task[Writers];
        for (var w = 0; w < Writers; w++)
        {
            var writer = w;
            tasks[w] = Task.Run(async () =>
            {
                var batch = new SeriesSample[SeriesCount / Writers * SecondsPerBatch];
                for (var s = fromSecond; s < toSecond; s += SecondsPerBatch)
                {
                    var n = 0;
                    for (var k = writer; k < SeriesCount; k += Writers)
                    {
                        for (var x = 0; x < SecondsPerBatch; x++)
                            batch[n++] = new SeriesSample(Keys[k], new Sample(T0 + (s + x) * 1000L, Value(k, s + x)));
                    }
                    await engine.WriteAsync(batch);
                }
            });
        }
        await Task.WhenAll(tasks);
    }

    public static double Value(int series, int second) => 20.0 + Math.Round(Math.Sin((second + series) / 300.0) * 5, 2);
}
