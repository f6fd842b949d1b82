using Fabrica.Platform.Ingest;
using Fabrica.Platform.Models;
using Fabrica.Platform.Twins;
using Microsoft.Extensions.Logging;

namespace Fabrica.Platform.Analytics;

/// <summary>
/// Stores KPIs as series (issue 7, scope 6): when a shift or day ends, its figures are written under the asset's own
/// device <c>asset:{id}</c> as <c>kpi.shift.oee</c>, <c>kpi.day.availability</c>, … stamped with the period's start,
/// so that they are queried and plotted like any tag (<c>GET /api/v1/assets/{id}/telemetry?keys=kpi.shift.oee</c>).
/// Periods that ended while the platform was down are not recorded afterwards; the KPI API computes any period on demand.
/// </summary>
public sealed partial class KpiRecorder(KpiCalculator calculator, ModelCatalog catalog, ITelemetrySink sink, TimeProvider time, ILogger<KpiRecorder> logger)
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);

    private static readonly KpiGrouping[] Groupings = [KpiGrouping.Shift, KpiGrouping.Day];

    /// <summary>Records every period of every asset with KPIs that ended in <c>(since, until]</c>; returns how many samples were written.</summary>
    public async Task<int> RecordAsync(long since, long until, CancellationToken cancellationToken = default)
    {
        var model = catalog.Current;
        var samples = new List<SeriesSample>();
        foreach (var asset in model.AssetList)
        {
            if (KpiCalculator.Equipment(model, asset.Id).Count == 0)
                continue;
            foreach (var per in Groupings)
            {
                var prefix = per == KpiGrouping.Shift ? "kpi.shift." : "kpi.day.";
                // Only periods that ended in the window are computed: the running shift is not read every minute.
                var ended = ShiftPlan.Periods(KpiCalculator.CalendarOf(model, asset.Id), since, until, per).Where(p => p.End > since && p.End <= until);
                foreach (var period in ended)
                {
                    var computed = await calculator.ComputeAsync(asset.Id, period.Start, period.Start + 1, per, cancellationToken).ConfigureAwait(false);
                    if (computed.FirstOrDefault(f => f.From == period.Start && f.Complete) is not { } figures)
                        continue;
                    var device = ProductionLoop.SeriesPrefix + asset.Id;
                    void Add(string name, double? value)
                    {
                        if (value is { } v && double.IsFinite(v))
                            samples.Add(new SeriesSample(new SeriesKey(device, prefix + name), new Sample(figures.From, v)));
                    }
                    Add("oee", figures.Oee);
                    Add("availability", figures.Availability);
                    Add("performance", figures.Performance);
                    Add("quality", figures.Quality);
                    Add("total_count", figures.TotalCount);
                    Add("good_count", figures.GoodCount);
                    Add("energy", figures.Energy);
                    Add("energy_per_good_part", figures.EnergyPerGoodPart);
                    Add("mtbf", figures.Mtbf);
                    Add("mttr", figures.Mttr);
                    Add("alarms", figures.Alarms);
                }
            }
        }
        if (samples.Count > 0)
            await sink.WriteAsync(samples.ToArray(), cancellationToken).ConfigureAwait(false);
        return samples.Count;
    }

    /// <summary>Checks every minute for periods that ended since the last check, for the host's lifetime.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var since = time.GetUtcNow().ToUnixTimeMilliseconds();
        using var timer = new PeriodicTimer(CheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var until = time.GetUtcNow().ToUnixTimeMilliseconds();
                try
                {
                    var written = await RecordAsync(since, until, stoppingToken).ConfigureAwait(false);
                    if (written > 0)
                        Recorded(logger, written);
                    since = until;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Failed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 7401, Level = LogLevel.Information, Message = "KPIs of ended shifts and days stored: {Count} samples")]
    private static partial void Recorded(ILogger logger, int count);

    [LoggerMessage(EventId = 7402, Level = LogLevel.Error, Message = "Storing KPIs failed; the next check tries the same periods again")]
    private static partial void Failed(ILogger logger, Exception exception);
}
