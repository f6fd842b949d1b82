using System.Globalization;
using Fabrica.Platform.Models;

namespace Fabrica.Platform.Analytics;

/// <summary>How KPIs are grouped: one figure per shift, or per calendar day of the site's time zone.</summary>
public enum KpiGrouping
{
    Shift,
    Day,
}

/// <summary>One shift or day of a calendar, in UTC Unix ms, with its planned stops (breaks, gaps between shifts, planned downtime).</summary>
/// <param name="Name">The shift's name, or the day (<c>2026-11-30</c>).</param>
/// <param name="Date">The local date the shift starts on, or the day.</param>
public sealed record KpiPeriod(string Name, string Date, long Start, long End, IReadOnlyList<Interval> PlannedStops);

/// <summary>
/// Unfolds a <see cref="ShiftCalendar"/> into concrete periods. Wall-clock times are converted in the calendar's
/// time zone: a shift across a daylight-saving change is an hour shorter or longer, as the people working it see it.
/// </summary>
public static class ShiftPlan
{
    public const int MaxPeriods = 5_000;

    /// <summary>Every whole period that overlaps <c>[from, to)</c>, oldest first.</summary>
    /// <exception cref="ArgumentException">More than <see cref="MaxPeriods"/> periods.</exception>
    public static IReadOnlyList<KpiPeriod> Periods(ShiftCalendar calendar, long from, long to, KpiGrouping per)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var zone = calendar.FindTimeZone() ?? TimeZoneInfo.Utc;
        var first = LocalDate(from, zone).AddDays(-1);
        var last = LocalDate(to, zone);
        if (last.DayNumber - first.DayNumber > MaxPeriods)
            throw new ArgumentException($"The range spans more than {MaxPeriods} days.", nameof(to));
        var shifts = new List<KpiPeriod>();
        for (var day = first.AddDays(-1); day <= last.AddDays(1); day = day.AddDays(1))
            shifts.AddRange(ShiftsOn(calendar, day, zone));
        shifts.Sort((a, b) => a.Start.CompareTo(b.Start));
        var result = new List<KpiPeriod>();
        if (per == KpiGrouping.Shift)
        {
            foreach (var shift in shifts)
            {
                if (shift.Start < to && shift.End > from)
                    result.Add(shift with { PlannedStops = [.. shift.PlannedStops, .. Downtime(calendar, shift.Start, shift.End)] });
            }
        }
        else
        {
            for (var day = first; day <= last; day = day.AddDays(1))
            {
                var start = ToUtc(day, 0, zone);
                var end = ToUtc(day.AddDays(1), 0, zone);
                if (start < to && end > from)
                    result.Add(new KpiPeriod(Iso(day), Iso(day), start, end, [.. DayStops(shifts, start, end), .. Downtime(calendar, start, end)]));
            }
        }
        if (result.Count > MaxPeriods)
            throw new ArgumentException($"The range holds more than {MaxPeriods} periods.", nameof(to));
        return result;
    }

    private static IEnumerable<KpiPeriod> ShiftsOn(ShiftCalendar calendar, DateOnly day, TimeZoneInfo zone)
    {
        foreach (var shift in calendar.ShiftList)
        {
            if (!ShiftCalendar.TryParseTime(shift.Start, out var s) || !ShiftCalendar.TryParseTime(shift.End, out var e))
                continue;
            var length = e > s ? e - s : e + 1440 - s;
            var start = ToUtc(day, s, zone);
            var end = ToUtc(day, s + length, zone);
            var breaks = new List<Interval>();
            foreach (var pause in shift.BreakList)
            {
                if (!ShiftCalendar.TryParseTime(pause.Start, out var bs) || !ShiftCalendar.TryParseTime(pause.End, out var be))
                    continue;
                var offset = (bs - s + 1440) % 1440;
                var duration = (be - bs + 1440) % 1440;
                breaks.Add(new Interval(ToUtc(day, s + offset, zone), ToUtc(day, s + offset + duration, zone)));
            }
            yield return new KpiPeriod(shift.Name, Iso(day), start, end, breaks);
        }
    }

    // A day's planned stops: the time no shift covers, and every break of the shifts within it.
    private static IEnumerable<Interval> DayStops(List<KpiPeriod> shifts, long start, long end)
    {
        var cursor = start;
        foreach (var shift in shifts)
        {
            if (shift.End <= start || shift.Start >= end)
                continue;
            if (shift.Start > cursor)
                yield return new Interval(cursor, shift.Start);
            cursor = Math.Max(cursor, shift.End);
            foreach (var pause in shift.PlannedStops)
                yield return pause;
        }
        if (cursor < end)
            yield return new Interval(cursor, end);
    }

    private static IEnumerable<Interval> Downtime(ShiftCalendar calendar, long start, long end) =>
        calendar.DowntimeList.Where(d => d.From < end && d.To > start).Select(d => new Interval(d.From, d.To));

    private static DateOnly LocalDate(long unixMs, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime, zone));

    // A local wall-clock time in a gap (spring forward) does not exist: it is taken as the same time after the gap.
    private static long ToUtc(DateOnly day, int minutes, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified).AddMinutes(minutes);
        if (zone.IsInvalidTime(local))
            local = local.AddHours(1);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone)).ToUnixTimeMilliseconds();
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
