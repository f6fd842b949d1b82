using System.Diagnostics.Metrics;

namespace Fabrica.Storage;

public sealed partial class TimeSeriesEngine
{
    /// <summary>Instruments of the meter "Fabrica.Storage"; gauges are observed from engine state, never maintained twice.</summary>
    private sealed class EngineMetrics : IDisposable
    {
        public const string MeterName = "Fabrica.Storage";

        private readonly Meter _meter = new(MeterName);

        public EngineMetrics(TimeSeriesEngine engine)
        {
            _meter.CreateObservableGauge("fabrica.storage.series", () => engine._series.Count, "{series}", "Series known to the engine");
            _meter.CreateObservableGauge("fabrica.storage.head.samples", engine.HeadSamples, "{sample}", "Samples held in the in-memory head");
            _meter.CreateObservableGauge("fabrica.storage.blocks.bytes", engine.BlockBytes, "By", "Bytes in block files");
            _meter.CreateObservableGauge("fabrica.storage.blocks", () => engine._state.Blocks.Length, "{block}", "Block files");
            SamplesWritten = _meter.CreateCounter<long>("fabrica.storage.samples.written", "{sample}", "Samples durably written");
            FlushDuration = _meter.CreateHistogram<double>("fabrica.storage.flush.duration", "s", "Time to write the head to a block");
            CompactionDuration = _meter.CreateHistogram<double>("fabrica.storage.compaction.duration", "s", "Time to compact blocks");
        }

        public Counter<long> SamplesWritten { get; }

        public Histogram<double> FlushDuration { get; }

        public Histogram<double> CompactionDuration { get; }

        public void Dispose() => _meter.Dispose();
    }
}
