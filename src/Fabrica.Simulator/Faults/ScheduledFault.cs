using System.Diagnostics.CodeAnalysis;

namespace Fabrica.Simulator.Faults;

/// <summary>
/// A fault injected at simulated time <see cref="At"/> into one machine and, with a <see cref="Duration"/>, ended
/// after it (without one it stays until a client clears its coil). Written <c>machine:fault@at[+duration]</c>,
/// e.g. <c>pump-1:bearing@10m</c> or <c>cnc-1:overheating@2m+5m</c>.
/// </summary>
public sealed record ScheduledFault(string MachineId, FaultKind Kind, TimeSpan At, TimeSpan? Duration = null)
{
    public static bool TryParse(string text, [NotNullWhen(true)] out ScheduledFault? fault, out string error)
    {
        fault = null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (colon <= 0 || at < colon)
        {
            error = $"'{text}' is not machine:fault@time[+duration], e.g. pump-1:bearing@10m or cnc-1:overheating@2m+5m.";
            return false;
        }

        var name = text[(colon + 1)..at];
        if (!FaultKindNames.TryParse(name, out var kind))
        {
            error = $"'{name}' is not a fault; faults are {string.Join(", ", Enum.GetValues<FaultKind>().Select(k => k.Name()))}.";
            return false;
        }

        var times = text[(at + 1)..].Split('+');
        TimeSpan start = TimeSpan.Zero, length = TimeSpan.Zero;
        if (times.Length > 2 || (times[0] is not "0" && !DurationText.TryParse(times[0], out start))
            || (times.Length == 2 && !DurationText.TryParse(times[1], out length)))
        {
            error = $"'{text[(at + 1)..]}' is not time[+duration]; write durations as 500ms, 10s, 5m, 1h.";
            return false;
        }

        fault = new ScheduledFault(text[..colon], kind, start, times.Length == 2 ? length : null);
        error = "";
        return true;
    }

    public override string ToString() =>
        $"{MachineId}:{Kind.Name()}@{At.TotalSeconds}s{(Duration is { } d ? $"+{d.TotalSeconds}s" : "")}";
}
