using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fabrica.Platform.Ingest;

internal ref partial struct TelemetryReader
{
    private const int MaxTimestampText = 64;
    private const int MaxQualityText = 6 * 9;

    /// <summary>Reads <c>ts</c>: Unix milliseconds (fractions rounded half away from zero) or an RFC 3339 string.</summary>
    private bool ReadTimestamp(out long timestamp)
    {
        timestamp = 0;
        switch (_json.TokenType)
        {
            case JsonTokenType.Number:
                if (_json.TryGetInt64(out timestamp))
                    return CheckTimestamp(timestamp);
                if (!_json.TryGetDouble(out var fractional) || double.IsNaN(fractional))
                    return Reject(RejectReason.InvalidTimestamp, Path("ts"), "The timestamp is not a usable number. Send Unix milliseconds, e.g. 1764480000000.");
                var rounded = Math.Round(fractional, MidpointRounding.AwayFromZero);
                if (rounded > _latest)
                    return RejectFuture(string.Create(CultureInfo.InvariantCulture, $"{fractional:R}"));
                if (rounded < _limits.MinTimestamp)
                    return RejectPast((long)Math.Max(rounded, long.MinValue / 2));
                timestamp = (long)rounded;
                return true;

            case JsonTokenType.String:
                var raw = _json.ValueSpan;
                if (raw.Length > MaxTimestampText)
                    return RejectTimestampText();
                Span<byte> text = stackalloc byte[MaxTimestampText];
                text = text[.._json.CopyString(text)];
                if (!Rfc3339.TryParse(text, out timestamp))
                    return RejectTimestampText();
                return CheckTimestamp(timestamp);

            default:
                return Reject(RejectReason.InvalidTimestamp, Path("ts"), "\"ts\" must be Unix milliseconds (a number) or an RFC 3339 string.");
        }
    }

    private bool CheckTimestamp(long timestamp)
    {
        if (timestamp > _latest)
            return RejectFuture(Describe(timestamp));
        if (timestamp < _limits.MinTimestamp)
            return RejectPast(timestamp);
        return true;
    }

    private bool RejectFuture(string timestamp) => Reject(RejectReason.TimestampInFuture, Path("ts"), string.Create(CultureInfo.InvariantCulture,
        $"The timestamp {timestamp} is more than {Describe(_limits.MaxFutureSkew)} ahead of the server clock ({Describe(_now)}). Check the device's clock."));

    private bool RejectPast(long timestamp)
    {
        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"The timestamp {Describe(timestamp)} is before {Describe(_limits.MinTimestamp)}, the earliest accepted.");
        // The usual cause: Unix seconds where milliseconds are expected (1764480000 is 1970-01-21).
        if (timestamp > 0 && timestamp <= _latest / 1000 && timestamp * 1000 >= _limits.MinTimestamp)
            message.Append(" It looks like Unix seconds; timestamps are Unix milliseconds.");
        return Reject(RejectReason.InvalidTimestamp, Path("ts"), message.ToString());
    }

    private bool RejectTimestampText() => Reject(RejectReason.InvalidTimestamp, Path("ts"), string.Create(CultureInfo.InvariantCulture,
        $"\"{Shorten(_json.GetString() ?? string.Empty)}\" is not an RFC 3339 date-time with an offset, e.g. \"2025-11-30T08:00:00.123Z\"."));

    /// <summary>Reads <c>q</c>: "good", "uncertain" or "bad", in any letter case.</summary>
    private bool ReadQuality(out Quality quality)
    {
        quality = Quality.Good;
        // "uncertain", each letter escaped as \uXXXX, is the longest spelling worth reading.
        if (_json.TokenType == JsonTokenType.String && _json.ValueSpan.Length <= MaxQualityText)
        {
            Span<byte> buffer = stackalloc byte[MaxQualityText];
            var text = _json.ValueIsEscaped ? buffer[.._json.CopyString(buffer)] : _json.ValueSpan;
            if (Ascii.EqualsIgnoreCase(text, "good"u8))
                return true;
            if (Ascii.EqualsIgnoreCase(text, "uncertain"u8))
            {
                quality = Quality.Uncertain;
                return true;
            }
            if (Ascii.EqualsIgnoreCase(text, "bad"u8))
            {
                quality = Quality.Bad;
                return true;
            }
        }
        return Reject(RejectReason.InvalidQuality, Path("q"), "\"q\" must be \"good\", \"uncertain\" or \"bad\".");
    }

    /// <summary>Unix milliseconds as RFC 3339 with the number, for messages: "1764480000000 (2025-11-30T05:20:00.000Z)".</summary>
    private static string Describe(long unixMilliseconds) =>
        unixMilliseconds >= -62_135_596_800_000 && unixMilliseconds <= 253_402_300_799_999
            ? string.Create(CultureInfo.InvariantCulture, $"{unixMilliseconds} ({DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds):yyyy-MM-dd'T'HH:mm:ss.fff'Z'})")
            : unixMilliseconds.ToString(CultureInfo.InvariantCulture);

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 && span.Ticks % TimeSpan.TicksPerDay == 0 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays} day(s)")
        : span.TotalHours >= 1 && span.Ticks % TimeSpan.TicksPerHour == 0 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours} hour(s)")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds} s");
}
