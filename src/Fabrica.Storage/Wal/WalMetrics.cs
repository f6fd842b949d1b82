using System.Diagnostics.Metrics;

namespace Fabrica.Storage.Wal;

/// <summary>Instruments of the write-ahead log on the <c>Fabrica.Storage</c> meter.</summary>
internal static class WalMetrics
{
    public const string MeterName = "Fabrica.Storage";

    private static readonly Meter Meter = new(MeterName);

    // An fsync takes 0.05-5 ms on SSDs; the default buckets (0, 5, 10, 25 ms …) would put them all in one bucket.
    public static readonly Histogram<double> FsyncDuration = Meter.CreateHistogram<double>(
        "fabrica.wal.fsync.duration", unit: "ms", description: "Duration of one group commit's fsync.", tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000] });

    public static readonly Counter<long> Bytes = Meter.CreateCounter<long>(
        "fabrica.wal.bytes", unit: "By", description: "Bytes of records committed to the WAL.");

    public static readonly Counter<long> Records = Meter.CreateCounter<long>(
        "fabrica.wal.records", unit: "{record}", description: "Records committed to the WAL.");
}
