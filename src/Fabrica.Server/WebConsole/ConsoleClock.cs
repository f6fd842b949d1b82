using System.Globalization;

namespace Fabrica.Server.WebConsole;

/// <summary>
/// Times as the person at the browser reads them: the browser tells its IANA time zone once the circuit starts
/// (Intl.DateTimeFormat), and every time on the console is shown in it. Until then, and for a zone this machine
/// does not know, the browser's current UTC offset is used.
/// </summary>
public sealed class ConsoleClock
{
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;

    public string ZoneName => _zone.Id;

    public event Action? Changed;

    public void Use(string? ianaZone, int offsetMinutes)
    {
        if (ianaZone is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(ianaZone, out var zone))
            _zone = zone;
        else
            _zone = TimeZoneInfo.CreateCustomTimeZone("browser", TimeSpan.FromMinutes(-offsetMinutes), "browser", "browser");
        Changed?.Invoke();
    }

    public DateTimeOffset Local(long unixMs) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), _zone);

    /// <summary>2026-11-30 09:41:07: sortable, unambiguous, the same for every locale.</summary>
    public string Format(long? unixMs) => unixMs is { } ms ? Local(ms).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "—";

    /// <summary>Time of day for today's times (09:41:07), the full date and time otherwise: for narrow columns.</summary>
    public string Short(long? unixMs, long nowMs)
    {
        if (unixMs is not { } ms)
            return "—";
        var local = Local(ms);
        return local.Date == Local(nowMs).Date ? local.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : Format(ms);
    }

    /// <summary>Offset of the browser's zone at <paramref name="unixMs"/>, for the chart's axis (uPlot draws in UTC + offset).</summary>
    public int OffsetSeconds(long unixMs) => (int)_zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(unixMs)).TotalSeconds;

    /// <summary>"12 s ago", "3 min ago", "2 h ago", else the date and time.</summary>
    public string Ago(long? unixMs, long nowMs)
    {
        if (unixMs is not { } ms)
            return "never";
        var age = TimeSpan.FromMilliseconds(Math.Max(0, nowMs - ms));
        return age.TotalSeconds < 60 ? $"{age.TotalSeconds:0} s ago"
            : age.TotalMinutes < 60 ? $"{age.TotalMinutes:0} min ago"
            : age.TotalHours < 24 ? $"{age.TotalHours:0} h ago"
            : Format(ms);
    }
}
