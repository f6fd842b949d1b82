using System.Globalization;
using System.Security.Claims;
using Fabrica.Platform.Alarms;
using Fabrica.Security.Principals;
using Fabrica.Server.Auth;
using MudBlazor;

namespace Fabrica.Server.WebConsole;

/// <summary>How the console writes values: numbers with their unit, thin-space grouping, quality words.</summary>
public static class ConsoleFormat
{
    public static string Value(SampleValue value, string? unit = null)
    {
        var text = value.Kind switch
        {
            ValueKind.Double => Number(value.AsDouble()),
            ValueKind.Long => value.AsLong().ToString("#,0", CultureInfo.InvariantCulture),
            ValueKind.Bool => value.AsBool() ? "true" : "false",
            _ => value.AsString(),
        };
        return string.IsNullOrEmpty(unit) || value.Kind is ValueKind.Bool or ValueKind.String ? text : $"{text} {unit}";
    }

    /// <summary>Four significant digits at most, never exponent notation for plant magnitudes.</summary>
    public static string Number(double value)
    {
        if (!double.IsFinite(value))
            return "—";
        var magnitude = Math.Abs(value);
        var format = magnitude >= 1000 ? "#,0" : magnitude >= 100 ? "0.0" : magnitude >= 1 ? "0.00" : "0.###";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.0} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB",
    };

    public static string Quality(Quality quality) => quality switch
    {
        Fabrica.Quality.Good => "good",
        Fabrica.Quality.Uncertain => "uncertain",
        _ => "bad",
    };

    public static Color QualityColor(Quality quality) => quality switch
    {
        Fabrica.Quality.Good => Color.Success,
        Fabrica.Quality.Uncertain => Color.Warning,
        _ => Color.Error,
    };

    public static string State(AlarmState state) => state switch
    {
        AlarmState.ActiveUnacknowledged => "active, unacknowledged",
        AlarmState.ActiveAcknowledged => "active, acknowledged",
        AlarmState.ClearedUnacknowledged => "cleared, unacknowledged",
        _ => "normal",
    };

    public static Color PriorityColor(int priority) => priority switch
    {
        1 => Color.Error,
        2 => Color.Warning,
        3 => Color.Info,
        _ => Color.Default,
    };
}

/// <summary>What the signed-in person may do, from the role claims of their token.</summary>
public static class ConsoleRoles
{
    public static bool Can(ClaimsPrincipal user, Role role) => user.IsInRole(role.ToString());

    public static string NameOf(ClaimsPrincipal user) => user.Principal()?.Name ?? "";

    public static string Of(ClaimsPrincipal user) => user.Principal()?.Role?.ToName() ?? "—";

    /// <summary>The person as alarm records name them: the token's name and id (docs/models.md, "Alarms").</summary>
    public static string UserLabel(ClaimsPrincipal user) => user.Principal() is { } p ? $"{p.Name} ({p.Actor})" : "unauthenticated";

    /// <summary>Who acts, for the audit log; the source says it came through the console.</summary>
    public static Fabrica.Security.Caller Caller(ClaimsPrincipal user) => new(user.Principal()?.Actor ?? "unauthenticated", "console");
}

/// <summary>Material colours with contrast that holds in both themes (WCAG AA for text on the surfaces used).</summary>
public static class ConsoleTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1f5fa8", AppbarBackground = "#1f3b57" },
        PaletteDark = new PaletteDark { Primary = "#7cb4f0", AppbarBackground = "#14202c" },
    };
}
