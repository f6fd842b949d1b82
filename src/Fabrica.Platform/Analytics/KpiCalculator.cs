using Fabrica.Platform.Alarms;
using Fabrica.Platform.Models;
using Fabrica.Platform.Twins;
using Fabrica.Storage;

namespace Fabrica.Platform.Analytics;

/// <summary>
/// KPIs of an asset per shift or day (issue 7, scope 6), read from stored series: OEE from run state, ideal cycle time
/// and total/reject counters over the site's shift calendar; energy per good part; MTBF/MTTR from unplanned stops;
/// the alarms raised. An asset whose type declares <see cref="KpiDefinition"/> is measured itself; any other asset
/// (a line, a site) combines the equipment below it: availability = Σ run / Σ planned, performance = Σ (ideal cycle
/// time × total) / Σ run, quality = Σ good / Σ total — the time-weighted OEE of the group.
/// </summary>
public sealed class KpiCalculator(ModelCatalog catalog, TimeSeriesEngine storage, AlarmBook? alarms = null, TimeProvider? time = null)
{
    private const int MaxSamplesPerPeriod = 1_000_000;
    private static readonly TimeSpan Lookback = TimeSpan.FromDays(7);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The equipment whose tags feed the KPIs of <paramref name="assetId"/>: itself, or its subtree's.</summary>
    public static IReadOnlyList<Asset> Equipment(PlantModel model, string assetId)
    {
        ArgumentNullException.ThrowIfNull(model);
        var asset = model.Assets[assetId];
        return model.TypeOf(asset)?.Kpis is not null ? [asset] : [.. model.Subtree(assetId).Where(a => model.TypeOf(a)?.Kpis is not null)];
    }

    /// <summary>The calendar of the asset or its nearest ancestor that has one; else the default three shifts.</summary>
    public static ShiftCalendar CalendarOf(PlantModel model, string assetId)
    {
        ArgumentNullException.ThrowIfNull(model);
        for (var asset = model.Assets[assetId]; ; asset = model.Assets[asset.Parent])
        {
            if (asset.Calendar is not null)
                return asset.Calendar;
            if (asset.Parent is null)
                return ShiftCalendar.Default;
        }
    }

    public async Task<IReadOnlyList<KpiFigures>> ComputeAsync(string assetId, long from, long to, KpiGrouping per, CancellationToken cancellationToken = default)
    {
        var model = catalog.Current;
        var equipment = Equipment(model, assetId);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var result = new List<KpiFigures>();
        foreach (var period in ShiftPlan.Periods(CalendarOf(model, assetId), from, to, per))
        {
            if (period.Start >= now)
                break;
            var raised = 0;
            if (alarms is not null)
            {
                foreach (var asset in model.Subtree(assetId))
                    raised += (await alarms.HistoryAsync(period.Start, Math.Min(period.End, now), asset.Id, cancellationToken: cancellationToken).ConfigureAwait(false)).Count(e => e.Kind == "raised");
            }
            result.Add(Compute(model, equipment, period, now) with { Alarms = raised });
        }
        return result;
    }

    private KpiFigures Compute(PlantModel model, IReadOnlyList<Asset> equipment, KpiPeriod period, long now)
    {
        var end = Math.Min(period.End, now);
        var sum = new Sums();
        foreach (var asset in equipment)
        {
            var kpis = model.TypeOf(asset)!.Kpis!;
            var oeePeriod = new OeePeriod(period.Start, end, period.PlannedStops, kpis.IdealCycle ?? TimeSpan.Zero);
            var runState = kpis.RunState is null ? null : Read(model, asset, kpis.RunState, period.Start, end);
            var total = kpis.TotalCount is null ? null : Read(model, asset, kpis.TotalCount, period.Start, end);
            var rejects = kpis.RejectCount is null ? [] : Read(model, asset, kpis.RejectCount, period.Start, end);
            var oee = Oee.Compute(oeePeriod, runState ?? [], total ?? [], rejects);
            sum.Planned += oee.PlannedTime;
            if (runState is not null)
            {
                sum.WithRun++;
                sum.PlannedWithRun += oee.PlannedTime;
                sum.Run += oee.RunTime;
                sum.Stops += Oee.CountStops(oeePeriod, runState);
            }
            if (total is not null)
            {
                sum.WithCount++;
                sum.Total += oee.TotalCount;
                sum.Good += oee.GoodCount;
                if (runState is not null)
                {
                    sum.RunWithCount += oee.RunTime;
                    sum.IdealTime += oeePeriod.IdealCycleTime.TotalMilliseconds * oee.TotalCount;
                }
            }
            if (kpis.Energy is not null)
            {
                var energy = Oee.Increase(Read(model, asset, kpis.Energy, period.Start, end), oeePeriod);
                sum.Energy = (sum.Energy ?? 0) + energy;
                if (total is not null)
                {
                    sum.EnergyWithCount += energy;
                    sum.GoodWithEnergy += oee.GoodCount;
                }
            }
        }
        double? availability = sum.WithRun > 0 && sum.PlannedWithRun > 0 ? (double)sum.Run / sum.PlannedWithRun : null;
        double? performance = sum.RunWithCount > 0 ? sum.IdealTime / sum.RunWithCount : null;
        double? quality = sum.WithCount > 0 && sum.Total > 0 ? sum.Good / sum.Total : null;
        var down = sum.PlannedWithRun - sum.Run;
        return new KpiFigures(
            period.Name, period.Date, period.Start, period.End, period.End <= now, sum.Planned,
            sum.WithRun > 0 ? sum.Run : null, sum.WithRun > 0 ? down : null,
            sum.WithCount > 0 ? sum.Total : null, sum.WithCount > 0 ? sum.Good : null,
            availability, performance, quality, availability * performance * quality,
            sum.Energy, sum.GoodWithEnergy > 0 ? sum.EnergyWithCount / sum.GoodWithEnergy : null,
            sum.WithRun > 0 ? sum.Stops : null, sum.Stops > 0 ? sum.Run / sum.Stops : null, sum.Stops > 0 ? down / sum.Stops : null,
            0, equipment.Count);
    }

    /// <summary>
    /// The tag's value at the period's start (its last sample at or before it, stamped at the start) and its samples
    /// in <c>(start, end]</c>: a state holds from its last change, and a counter's rise is measured from its value when
    /// the period began. A count reported exactly at a boundary belongs to the period that ends there.
    /// </summary>
    private List<Sample> Read(PlantModel model, Asset asset, string tag, long start, long end)
    {
        var key = SeriesOf(model, asset, tag);
        var samples = new List<Sample>();
        var before = storage.ReadAggregates(key, start + 1 - (long)Lookback.TotalMilliseconds, start + 1, Lookback, 4).Buckets;
        for (var i = before.Count - 1; i >= 0; i--)
        {
            if (before[i].Count > 0)
            {
                var last = before[i].Last;
                samples.Add(new Sample(start, last.Value, last.Quality));
                break;
            }
        }
        samples.AddRange(storage.ReadRaw(key, start + 1, end + 1, MaxSamplesPerPeriod));
        return samples;
    }

    /// <summary>Where an asset tag is stored: its bound device series, or <c>asset:{id}/{tag}</c> for computed and rule-set tags.</summary>
    public static SeriesKey SeriesOf(PlantModel model, Asset asset, string tag)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(asset);
        return asset.BindingMap.TryGetValue(tag, out var binding)
            ? new SeriesKey(binding.Device, binding.Tag ?? tag)
            : new SeriesKey(ProductionLoop.SeriesPrefix + asset.Id, tag);
    }

    private sealed class Sums
    {
        public long Planned, PlannedWithRun, Run, RunWithCount;
        public int WithRun, WithCount, Stops;
        public double Total, Good, IdealTime, EnergyWithCount, GoodWithEnergy;
        public double? Energy;
    }
}

/// <summary>The KPIs of one shift or day. Times in ms; a figure is null when the type's KPI tags do not provide it.</summary>
/// <param name="Complete">False while the period is still running: the figures cover it up to now.</param>
/// <param name="Stops">Unplanned stops (running → stopped inside planned production time).</param>
/// <param name="Mtbf">Mean time between failures: run time / stops (ms).</param>
/// <param name="Mttr">Mean time to repair: down time / stops (ms).</param>
/// <param name="Alarms">Alarms raised on the asset or below it in the period.</param>
/// <param name="Equipment">How many pieces of equipment the figures combine.</param>
public sealed record KpiFigures(
    string Name, string Date, long From, long To, bool Complete, long PlannedTime, long? RunTime, long? DownTime,
    double? TotalCount, double? GoodCount, double? Availability, double? Performance, double? Quality, double? Oee,
    double? Energy, double? EnergyPerGoodPart, int? Stops, long? Mtbf, long? Mttr, int Alarms, int Equipment);
