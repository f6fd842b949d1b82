namespace Fabrica.Platform.Analytics;

/// <summary>
/// Overall equipment effectiveness over one period (a shift or a day) from what a machine reports: its run state and
/// its total and reject counters, plus the period's planned stops (breaks, meals, planned downtime) and the ideal
/// cycle time. The standard definitions (Nakajima; oee.com):
/// <code>
/// planned production time = period − planned stops
/// run time               = time running within planned production time
/// availability = run time / planned production time
/// performance  = ideal cycle time × total count / run time
/// quality      = good count / total count
/// OEE          = availability × performance × quality
/// </code>
/// </summary>
public static class Oee
{
    /// <param name="runState">Samples of the run state (true or non-zero = running), ordered by time; the state holds until the next sample.</param>
    /// <param name="totalCounter">Samples of the cumulative total-parts counter; a drop is a counter reset.</param>
    /// <param name="rejectCounter">Samples of the cumulative reject counter.</param>
    public static OeeResult Compute(OeePeriod period, IReadOnlyList<Sample> runState, IReadOnlyList<Sample> totalCounter, IReadOnlyList<Sample> rejectCounter)
    {
        ArgumentNullException.ThrowIfNull(period);
        var production = Subtract(new Interval(period.Start, period.End), period.PlannedStops);
        var planned = production.Sum(i => i.Length);
        var run = 0L;
        for (var k = 0; k < runState.Count; k++)
        {
            if (runState[k].Quality == Quality.Bad || !IsRunning(runState[k].Value))
                continue;
            var from = runState[k].Timestamp;
            var to = k + 1 < runState.Count ? runState[k + 1].Timestamp : period.End;
            foreach (var slot in production)
                run += Overlap(slot, new Interval(from, to));
        }
        var total = Increase(totalCounter, period);
        var rejects = Increase(rejectCounter, period);
        var good = Math.Max(0, total - rejects);
        var availability = planned > 0 ? (double)run / planned : 0;
        var performance = run > 0 ? period.IdealCycleTime.TotalMilliseconds * total / run : 0;
        var quality = total > 0 ? good / total : 0;
        return new OeeResult(planned, run, planned - run, total, good, availability, performance, quality, availability * performance * quality);
    }

    /// <summary>
    /// Unplanned stops: changes from running to stopped that begin inside planned production time (a machine stopped
    /// for a break is not a failure). The count behind MTBF = run time / stops and MTTR = down time / stops (ISO 22400-2).
    /// </summary>
    public static int CountStops(OeePeriod period, IReadOnlyList<Sample> runState)
    {
        ArgumentNullException.ThrowIfNull(period);
        var production = Subtract(new Interval(period.Start, period.End), period.PlannedStops);
        var stops = 0;
        var running = false;
        foreach (var sample in runState)
        {
            if (sample.Quality == Quality.Bad)
                continue;
            var now = IsRunning(sample.Value);
            if (running && !now && production.Any(slot => sample.Timestamp >= slot.Start && sample.Timestamp < slot.End))
                stops++;
            running = now;
        }
        return stops;
    }

    /// <summary>How much a cumulative counter rose within the period: the sum of its rises, a drop counting as a reset to zero.</summary>
    public static double Increase(IReadOnlyList<Sample> counter, OeePeriod period)
    {
        var rise = 0.0;
        double? previous = null;
        foreach (var sample in counter)
        {
            if (sample.Timestamp < period.Start || sample.Timestamp > period.End || sample.Quality == Quality.Bad || sample.Value.Kind == ValueKind.String)
                continue;
            var value = sample.Value.AsDouble();
            if (previous is { } p)
                rise += value >= p ? value - p : value;
            previous = value;
        }
        return rise;
    }

    private static bool IsRunning(SampleValue value) => value.Kind != ValueKind.String && value.AsBool();

    private static List<Interval> Subtract(Interval whole, IReadOnlyList<Interval> stops)
    {
        var result = new List<Interval> { whole };
        foreach (var stop in stops)
        {
            var next = new List<Interval>();
            foreach (var part in result)
            {
                if (stop.End <= part.Start || stop.Start >= part.End)
                {
                    next.Add(part);
                    continue;
                }
                if (stop.Start > part.Start)
                    next.Add(new Interval(part.Start, stop.Start));
                if (stop.End < part.End)
                    next.Add(new Interval(stop.End, part.End));
            }
            result = next;
        }
        return result;
    }

    private static long Overlap(Interval a, Interval b) => Math.Max(0, Math.Min(a.End, b.End) - Math.Max(a.Start, b.Start));
}

/// <summary>A half-open time range [Start, End) in UTC Unix milliseconds.</summary>
public readonly record struct Interval(long Start, long End)
{
    public long Length => Math.Max(0, End - Start);
}

/// <summary>One shift or day: its bounds, planned stops, and the ideal time per part.</summary>
public sealed record OeePeriod(long Start, long End, IReadOnlyList<Interval> PlannedStops, TimeSpan IdealCycleTime);

/// <param name="PlannedTime">Planned production time, ms.</param>
/// <param name="RunTime">Time running within it, ms.</param>
/// <param name="DownTime">Planned production time not running, ms.</param>
public sealed record OeeResult(long PlannedTime, long RunTime, long DownTime, double TotalCount, double GoodCount,
    double Availability, double Performance, double Quality, double Value);
