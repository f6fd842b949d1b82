using System.Globalization;

namespace Fabrica;

/// <summary>
/// Durations as people write them in queries and configuration: a positive whole number and a unit —
/// <c>500ms</c>, <c>10s</c>, <c>1m</c>, <c>1h</c>, <c>30d</c>, <c>10y</c> (a year is 365 days).
/// </summary>
public static class DurationText
{
    public static bool TryParse(ReadOnlySpan<char> text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
            digits++;
        if (digits == 0 || !long.TryParse(text[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
            return false;
        long unitMs = text[digits..] switch
        {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "y" => 365 * 86_400_000L,
            _ => 0,
        };
        if (unitMs == 0 || count > TimeSpan.MaxValue.TotalMilliseconds / unitMs / 2)
            return false;
        duration = TimeSpan.FromMilliseconds(count * unitMs);
        return true;
    }
}
