using System.Globalization;
using Fabrica.Storage;

namespace Fabrica.Server.Api;

/// <summary>
/// Parsing of the telemetry query string (`from`, `to`, `interval`, `agg`, `limit`, `keys`). Every failure
/// names the parameter and says what a valid value looks like, for the RFC 9457 problem body.
/// </summary>
internal static class QueryParameters
{
    public const int DefaultLimit = 10_000;
    public const int MaxLimit = 100_000;
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(1);

    /// <summary>Epoch milliseconds (integer) or an RFC 3339 date-time; finer than ms is rounded.</summary>
    public static bool TryParseTime(string? text, out long unixMs)
    {
        unixMs = 0;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out unixMs))
            return true;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            && (text.Contains('T', StringComparison.Ordinal) || text.Contains(' ', StringComparison.Ordinal)))
        {
            unixMs = UnixTime.FromDateTimeOffset(parsed);
            return true;
        }
        return false;
    }

    /// <summary>
    /// A history window from optional <c>from</c>/<c>to</c> (as <see cref="TryParseTime"/>), by default the day before
    /// <paramref name="nowMs"/>. On failure, <paramref name="badField"/> names the parameter and <paramref name="problem"/>
    /// says what a valid value looks like.
    /// </summary>
    public static bool TryParseHistoryWindow(string? from, string? to, long nowMs, out long start, out long end, out string? badField, out string? problem)
    {
        start = nowMs - (long)TimeSpan.FromDays(1).TotalMilliseconds;
        end = nowMs + 1;
        (badField, problem) = (null, null);
        if (from is not null && !TryParseTime(from, out start))
            (badField, problem) = ("from", "is epoch milliseconds or an RFC 3339 time such as 2026-11-30T08:00:00Z");
        else if (to is not null && !TryParseTime(to, out end))
            (badField, problem) = ("to", "is epoch milliseconds or an RFC 3339 time such as 2026-11-30T09:00:00Z");
        return badField is null;
    }

    /// <summary>A positive whole number followed by ms, s, m, h or d: <c>500ms</c>, <c>10s</c>, <c>1m</c>, <c>1h</c>, <c>1d</c>.</summary>
    public static bool TryParseInterval(string? text, out TimeSpan interval)
    {
        interval = default;
        return text is not null && !text.EndsWith('y') && DurationText.TryParse(text, out interval);
    }

    public static bool TryParseAggregate(string? text, out AggregateKind kind)
    {
        kind = AggregateKind.Avg;
        if (string.IsNullOrEmpty(text))
            return true;
        return Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !char.IsAsciiDigit(text[0]);
    }

    public static string[]? SplitKeys(string? keys) =>
        string.IsNullOrWhiteSpace(keys) ? null : keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
