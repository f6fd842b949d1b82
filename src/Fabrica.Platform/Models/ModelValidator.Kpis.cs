namespace Fabrica.Platform.Models;

/// <summary>Checks of the KPI parts of a model: a type's KPI tags and a site's shift calendar (docs/models.md, "KPIs").</summary>
internal static partial class ModelValidator
{
    public const int MaxShifts = 16;
    public const int MaxBreaksPerShift = 16;
    public const int MaxPlannedDowntime = 1_000;

    private static void CheckKpis(AssetType type, string at, List<ModelError> errors)
    {
        if (type.Kpis is not { } kpis)
            return;
        var owner = $"asset type '{type.Id}'";
        foreach (var (field, tag) in new[] { ("runState", kpis.RunState), ("totalCount", kpis.TotalCount), ("rejectCount", kpis.RejectCount), ("energy", kpis.Energy) })
        {
            if (tag is not null && type.FindTag(tag) is null)
                errors.Add(new($"{at}.kpis.{field}", $"{owner}: KPI tag '{tag}' is not a tag of the type"));
        }
        if (kpis.RunState is null && kpis.TotalCount is null && kpis.Energy is null)
            errors.Add(new(at + ".kpis", $"{owner}: the KPIs need at least a runState, totalCount or energy tag"));
        if (kpis.TotalCount is not null && kpis.IdealCycleTime is null)
            errors.Add(new(at + ".kpis.idealCycleTime", $"{owner}: OEE performance needs the ideal cycle time (e.g. '1s' for 60 parts/min)"));
        if (kpis.IdealCycleTime is not null && kpis.IdealCycle is null)
            errors.Add(new(at + ".kpis.idealCycleTime", $"{owner}: '{kpis.IdealCycleTime}' is not a positive duration such as 500ms, 1s, 2m"));
        if (kpis.RejectCount is not null && kpis.TotalCount is null)
            errors.Add(new(at + ".kpis.rejectCount", $"{owner}: a reject counter needs the total counter (totalCount) too"));
    }

    private static void CheckCalendar(Asset asset, string path, string at, List<ModelError> errors)
    {
        if (asset.Calendar is not { } calendar)
            return;
        at += ".calendar";
        var owner = $"asset '{path}'";
        if (calendar.FindTimeZone() is null)
            errors.Add(new(at + ".timeZone", $"{owner}: unknown time zone '{calendar.TimeZone}' (use an IANA name such as Europe/Berlin)"));
        if (calendar.ShiftList.Count is 0 or > MaxShifts)
            errors.Add(new(at + ".shifts", $"{owner}: a calendar has 1 to {MaxShifts} shifts, not {calendar.ShiftList.Count}"));
        CheckUnique(calendar.ShiftList.Select(s => s?.Name), at + ".shifts", owner, "shift", errors);
        foreach (var shift in calendar.ShiftList)
        {
            if (shift?.Name is null)
                continue;
            var field = $"{at}.shifts['{shift.Name}']";
            var ok = ShiftCalendar.TryParseTime(shift.Start, out var start);
            ok &= ShiftCalendar.TryParseTime(shift.End, out var end);
            if (!ok)
            {
                errors.Add(new(field, $"{owner}: shift '{shift.Name}' runs '{shift.Start}'–'{shift.End}'; use local times HH:mm"));
                continue;
            }
            var length = end > start ? end - start : end + 1440 - start;
            if (shift.BreakList.Count > MaxBreaksPerShift)
                errors.Add(new(field + ".breaks", $"{owner}: shift '{shift.Name}' has {shift.BreakList.Count} breaks; at most {MaxBreaksPerShift}"));
            foreach (var pause in shift.BreakList)
            {
                if (pause is null || !ShiftCalendar.TryParseTime(pause.Start, out var bs) || !ShiftCalendar.TryParseTime(pause.End, out var be))
                {
                    errors.Add(new(field + ".breaks", $"{owner}: a break of shift '{shift.Name}' needs start and end as local times HH:mm"));
                    continue;
                }
                var from = (bs - start + 1440) % 1440;
                var to = (be - start + 1440) % 1440;
                if (to <= from || to > length)
                    errors.Add(new(field + ".breaks", $"{owner}: break {pause.Start}–{pause.End} does not lie within shift '{shift.Name}' ({shift.Start}–{shift.End})"));
            }
        }
        if (calendar.DowntimeList.Count > MaxPlannedDowntime)
            errors.Add(new(at + ".plannedDowntime", $"{owner}: {calendar.DowntimeList.Count} planned downtimes; at most {MaxPlannedDowntime}"));
        for (var i = 0; i < calendar.DowntimeList.Count; i++)
        {
            if (calendar.DowntimeList[i] is not { } down || down.To <= down.From)
                errors.Add(new($"{at}.plannedDowntime[{i}]", $"{owner}: planned downtime needs 'from' before 'to' (UTC Unix ms)"));
        }
    }
}
