namespace Fabrica.Identifiers.Schemes;

/// <summary>
/// The GS1 mod-10 check digit (GS1 General Specifications §7.9.1): from the right, digits are weighted 3, 1, 3, 1 …;
/// the check digit brings the weighted sum up to a multiple of ten. The same algorithm serves GTIN-8/12/13/14, SSCC,
/// GLN, GRAI, GSRN, GDTI, GCN and GSIN, whatever their length.
/// </summary>
public static class Gs1CheckDigit
{
    /// <summary>The check digit for <paramref name="digits"/> (all characters must be 0–9; no check digit included).</summary>
    public static char Compute(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var weight = 3;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if ((uint)d > 9)
                throw new FormatException("A GS1 check digit is computed over digits only.");
            sum += d * weight;
            weight = 4 - weight;
        }
        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>Is the last digit of <paramref name="digitsWithCheck"/> the check digit of the ones before it?</summary>
    public static bool IsValid(ReadOnlySpan<char> digitsWithCheck) =>
        digitsWithCheck.Length >= 2 && IsDigits(digitsWithCheck) && Compute(digitsWithCheck[..^1]) == digitsWithCheck[^1];

    public static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
                return false;
        }
        return !text.IsEmpty;
    }
}
