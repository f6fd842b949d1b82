using System.Diagnostics.CodeAnalysis;

namespace Fabrica.Identifiers.Schemes;

/// <summary>GTIN, SSCC, GLN, GRAI, GIAI and GSRN as GS1 General Specifications §3.3 defines them, with their check digits.</summary>
public static class Gs1Keys
{
    /// <summary>
    /// A GTIN-8, -12, -13 or -14 with a valid check digit, as its 14-digit form (left-padded with zeros, General
    /// Specifications §3.3.2: the form in AI (01) and in a GS1 Digital Link URI).
    /// </summary>
    public static bool TryParseGtin(string? text, [NotNullWhen(true)] out string? gtin14, [NotNullWhen(false)] out string? error)
    {
        gtin14 = null;
        if (text is null || text.Length is not (8 or 12 or 13 or 14) || !Gs1CheckDigit.IsDigits(text))
        {
            error = "A GTIN has 8, 12, 13 or 14 digits";
            return false;
        }
        if (!Gs1CheckDigit.IsValid(text))
        {
            error = "The GTIN's check digit is wrong";
            return false;
        }
        gtin14 = text.PadLeft(14, '0');
        error = null;
        return true;
    }

    /// <summary>The shortest GTIN form: GTIN-8 (six leading zeros), GTIN-12 (two), GTIN-13 (one) or GTIN-14.</summary>
    public static string ShortestGtin(string gtin14) =>
        gtin14.StartsWith("000000", StringComparison.Ordinal) ? gtin14[6..]
        : gtin14.StartsWith("00", StringComparison.Ordinal) ? gtin14[2..]
        : gtin14.StartsWith('0') ? gtin14[1..]
        : gtin14;

    /// <summary>Completes a key from the digits before its check digit (e.g. a GTIN-13 from 12 digits).</summary>
    public static string WithCheckDigit(string digits) => digits + Gs1CheckDigit.Compute(digits);

    public static bool IsSscc(string text) => text.Length == 18 && Gs1CheckDigit.IsValid(text);

    public static bool IsGln(string text) => text.Length == 13 && Gs1CheckDigit.IsValid(text);

    public static bool IsGsrn(string text) => text.Length == 18 && Gs1CheckDigit.IsValid(text);

    /// <summary>A GRAI as carried by AI (8003): a filler zero, the 13-digit GRAI with check digit, an optional serial (X..16).</summary>
    public static bool IsGrai(string text) => Gs1ApplicationIdentifiers.Find("8003")!.Problem(text) is null && text[0] == '0';

    /// <summary>A GIAI (AI 8004): company prefix and individual asset reference, up to 30 CSET 82 characters.</summary>
    public static bool IsGiai(string text) => Gs1ApplicationIdentifiers.Find("8004")!.Problem(text) is null;

    /// <summary>Why <paramref name="value"/> is not a valid key for <paramref name="ai"/>, or null when it is.</summary>
    public static string? Problem(string ai, string value)
    {
        if (ai == "01")
            return TryParseGtin(value, out _, out var error) ? null : error;
        if (ai == "8003" && value.Length > 0 && value[0] != '0')
            return "AI (8003) starts with a filler zero";
        return Gs1ApplicationIdentifiers.Find(ai)?.Problem(value) ?? (Gs1ApplicationIdentifiers.Find(ai) is null ? $"Unknown AI ({ai})" : null);
    }
}
