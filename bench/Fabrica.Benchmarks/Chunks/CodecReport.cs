using System.Globalization;
using Fabrica.Storage.Chunks;

// Not "…Encoding": that namespace would shadow System.Text.Encoding for the other benchmark folders.
namespace Fabrica.Benchmarks.Chunks;

/// <summary>
/// Bytes per sample, timestamps and chunk headers included, for the signals of <see cref="IndustrialSignals"/>
/// cut into the engine's default 240-sample chunks. Run with <c>--codec-report</c>; sizes, not times, so no
/// BenchmarkDotNet job is needed.
/// </summary>
internal static class CodecReport
{
    public const int ChunkSize = 240;

    public static void Print(TextWriter output)
    {
        output.WriteLine($"Chunk codec: bytes per sample, 1 day at 1 Hz ({IndustrialSignals.Day} samples) in {ChunkSize}-sample chunks, lossless.");
        output.WriteLine("Reference: InfluxDB 1.6.7 after compaction 4.85 B/point; target <= 2.4; goal 1.5.");
        output.WriteLine();
        output.WriteLine("| signal | exact 1 s grid: B/sample | of which timestamps | gateway jitter 0–4 ms: B/sample | of which timestamps |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        var grid = IndustrialSignals.All(jitter: false);
        var jittered = IndustrialSignals.All(jitter: true);
        for (int s = 0; s < grid.Count; s++)
        {
            (double gridTotal, double gridTime) = Measure(grid[s].Samples);
            (double jitterTotal, double jitterTime) = Measure(jittered[s].Samples);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {grid[s].Name} | {gridTotal:F3} | {gridTime:F3} | {jitterTotal:F3} | {jitterTime:F3} |"));
        }
    }

    /// <summary>Total chunk bytes per sample, and the timestamp stream's share (header excluded).</summary>
    public static (double Total, double Timestamps) Measure(Sample[] samples)
    {
        long total = 0;
        long timestamps = 0;
        var relative = new long[ChunkSize];
        var buffer = new byte[IntegerCodec.MaxEncodedLength(ChunkSize)];
        for (int start = 0; start < samples.Length; start += ChunkSize)
        {
            ReadOnlySpan<Sample> chunk = samples.AsSpan(start, Math.Min(ChunkSize, samples.Length - start));
            total += ChunkCodec.Encode(chunk).Length;
            for (int i = 0; i < chunk.Length; i++)
            {
                relative[i] = chunk[i].Timestamp - chunk[0].Timestamp;
            }

            timestamps += IntegerCodec.Encode(relative.AsSpan(0, chunk.Length), buffer);
        }

        return ((double)total / samples.Length, (double)timestamps / samples.Length);
    }
}
