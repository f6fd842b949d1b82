using System.Globalization;
using System.Text.Json.Serialization;

namespace Fabrica.Platform.Models;

/// <summary>
/// When a site plans to produce (issue 7, scope 6): its shifts with their breaks, in the site's time zone, and
/// planned downtime (maintenance, holidays). OEE counts only planned production time — the period less breaks and
/// planned downtime (Nakajima; oee.com "planned production time") — so the calendar decides what is a loss.
/// Set on a site (or any asset); an asset uses the calendar of its nearest ancestor that has one, else
/// <see cref="Default"/>: three 8-hour shifts from 06:00, 14:00 and 22:00 UTC without breaks.
/// </summary>
/// <param name="TimeZone">An IANA time zone (<c>Europe/Berlin</c>); default UTC. Shift times are local wall-clock times.</param>
/// <param name="Shifts">At least one; a shift whose end is not after its start ends the next day.</param>
public sealed record ShiftCalendar(
    string? TimeZone = null,
    IReadOnlyList<Shift>? Shifts = null,
    IReadOnlyList<PlannedDowntime>? PlannedDowntime = null)
{
    public static ShiftCalendar Default { get; } = new(null,
    [
        new Shift("early", "06:00", "14:00"),
        new Shift("late", "14:00", "22:00"),
        new Shift("night", "22:00", "06:00"),
    ]);

    [JsonIgnore]
    public IReadOnlyList<Shift> ShiftList => Shifts ?? [];

    [JsonIgnore]
    public IReadOnlyList<PlannedDowntime> DowntimeList => PlannedDowntime ?? [];

    /// <summary>The time zone, or null when <see cref="TimeZone"/> names none known to the system.</summary>
    public TimeZoneInfo? FindTimeZone()
    {
        if (string.IsNullOrEmpty(TimeZone) || TimeZone is "UTC" or "Etc/UTC")
            return TimeZoneInfo.Utc;
        return TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? zone : null;
    }

    /// <summary>Minutes after midnight of an <c>HH:mm</c> wall-clock time (00:00–24:00).</summary>
    public static bool TryParseTime(string? text, out int minutes)
    {
        minutes = 0;
        if (text is null || text.Length != 5 || text[2] != ':'
            || !int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || m > 59 || h > 24 || (h == 24 && m != 0))
            return false;
        minutes = h * 60 + m;
        return true;
    }
}

/// <param name="Start">Local wall-clock time <c>HH:mm</c>.</param>
/// <param name="End">Local wall-clock time <c>HH:mm</c>; not after <see cref="Start"/> means the next day.</param>
/// <param name="Breaks">Planned stops inside the shift (breaks, meals, meetings), local <c>HH:mm</c>.</param>
public sealed record Shift(string Name, string Start, string End, IReadOnlyList<ShiftBreak>? Breaks = null)
{
    [JsonIgnore]
    public IReadOnlyList<ShiftBreak> BreakList => Breaks ?? [];
}

public sealed record ShiftBreak(string Start, string End, string? Name = null);

/// <summary>A planned stop outside the shift pattern: preventive maintenance, a holiday. UTC Unix ms, half-open.</summary>
public sealed record PlannedDowntime(long From, long To, string? Reason = null);

/// <summary>
/// Which tags of an asset type feed its KPIs (issue 7, scope 6). Tags are the type's own (measured or computed).
/// </summary>
/// <param name="RunState">Boolean or number: running when true / non-zero; the state holds until the next sample.</param>
/// <param name="TotalCount">Cumulative count of parts made (good and rejected); a drop is a counter reset.</param>
/// <param name="RejectCount">Cumulative count of rejected parts (scrap and rework).</param>
/// <param name="IdealCycleTime">The fastest possible time per part, e.g. <c>1s</c> (60 parts/min).</param>
/// <param name="Energy">Cumulative energy meter (e.g. kWh); energy per good part is its rise / good count.</param>
public sealed record KpiDefinition(
    string? RunState = null,
    string? TotalCount = null,
    string? RejectCount = null,
    string? IdealCycleTime = null,
    string? Energy = null)
{
    [JsonIgnore]
    public TimeSpan? IdealCycle => IdealCycleTime is not null && DurationText.TryParse(IdealCycleTime, out var t) && t > TimeSpan.Zero ? t : null;
}
