namespace Fabrica.Platform.Ingest;

/// <summary>
/// Strict RFC 3339 §5.6 <c>date-time</c> over UTF-8, straight to Unix milliseconds:
/// <code>
///   date-time = full-date "T" full-time                 ; "t" and " " accepted too (§5.6 NOTE)
///   full-date = 4DIGIT "-" 2DIGIT "-" 2DIGIT
///   full-time = 2DIGIT ":" 2DIGIT ":" 2DIGIT ["." 1*DIGIT] ("Z" / "z" / ("+" / "-") 2DIGIT ":" 2DIGIT)
/// </code>
/// The offset is required (a time without one names no instant). Fractions of any length are rounded to the
/// millisecond half away from zero, like <see cref="UnixTime.FromDateTimeOffset"/>. Leap seconds (<c>:60</c>) are
/// refused: Unix time cannot name them.
/// </summary>
internal static class Rfc3339
{
    private const long MillisecondsPerDay = 86_400_000;

    public static bool TryParse(ReadOnlySpan<byte> text, out long unixMilliseconds)
    {
        unixMilliseconds = 0;
        if (text.Length < 20
            || !TryDigits(text, 0, 4, out var year) || text[4] != '-'
            || !TryDigits(text, 5, 2, out var month) || text[7] != '-'
            || !TryDigits(text, 8, 2, out var day) || text[10] is not ((byte)'T' or (byte)'t' or (byte)' ')
            || !TryDigits(text, 11, 2, out var hour) || text[13] != ':'
            || !TryDigits(text, 14, 2, out var minute) || text[16] != ':'
            || !TryDigits(text, 17, 2, out var second))
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        // Fraction: the first three digits are milliseconds; the rest only decide the rounding.
        var i = 19;
        var fractionMs = 0;
        var rest = Remainder.None;
        if (text[i] == '.')
        {
            var start = ++i;
            while (i < text.Length && IsDigit(text[i]))
            {
                var digit = text[i] - '0';
                var position = i - start;
                if (position < 3)
                    fractionMs = fractionMs * 10 + digit;
                else if (position == 3)
                    rest = digit > 5 ? Remainder.AboveHalf : digit == 5 ? Remainder.Half : digit > 0 ? Remainder.BelowHalf : Remainder.None;
                else if (digit != 0 && rest is Remainder.Half or Remainder.None)
                    rest = rest == Remainder.Half ? Remainder.AboveHalf : Remainder.BelowHalf;
                i++;
            }

            var digits = i - start;
            if (digits == 0)
                return false;
            for (var pad = digits; pad < 3; pad++)
                fractionMs *= 10;
        }

        if (i >= text.Length)
            return false;

        var offsetMinutes = 0;
        if (text[i] is (byte)'Z' or (byte)'z')
        {
            i++;
        }
        else if (text[i] is (byte)'+' or (byte)'-')
        {
            if (i + 6 > text.Length
                || !TryDigits(text, i + 1, 2, out var offsetHours) || text[i + 3] != ':'
                || !TryDigits(text, i + 4, 2, out var offsetMins)
                || offsetHours > 23 || offsetMins > 59)
            {
                return false;
            }

            offsetMinutes = (offsetHours * 60 + offsetMins) * (text[i] == '-' ? -1 : 1);
            i += 6;
        }
        else
        {
            return false;
        }

        if (i != text.Length)
            return false;

        var milliseconds = DaysFromCivil(year, month, day) * MillisecondsPerDay
            + ((hour * 60L + minute - offsetMinutes) * 60 + second) * 1000
            + fractionMs;

        // Half away from zero on the whole instant: a remainder of exactly half moves a negative instant down.
        if (rest == Remainder.AboveHalf || (rest == Remainder.Half && milliseconds >= 0))
            milliseconds++;
        unixMilliseconds = milliseconds;
        return true;
    }

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible date algorithms").</summary>
    private static long DaysFromCivil(int year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        var era = (year >= 0 ? year : year - 399) / 400;
        var yearOfEra = year - era * 400;
        var dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        var dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!IsDigit(text[i]))
                return false;
            value = value * 10 + (text[i] - '0');
        }
        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private enum Remainder
    {
        None,
        BelowHalf,
        Half,
        AboveHalf,
    }
}
