using System.Collections.Frozen;

namespace Fabrica.Identifiers.Schemes;

/// <summary>Character sets of GS1 General Specifications §7.11: digits, the 82-character set (CSET 82) and CSET 39.</summary>
public enum Gs1Charset
{
    Numeric,
    Cset82,
    Cset39,
}

/// <summary>
/// One Application Identifier and its data format (GS1 General Specifications §3.2 and Figure 7.8.5-2): length bounds,
/// the leading characters that must be digits (e.g. the N13 of GDTI), the position of a check digit over those digits,
/// and whether the AI has a predefined length (Figure 7.8.5-1), so that no FNC1 separator follows it.
/// </summary>
public sealed record Gs1AiDefinition(string Ai, string Title, int MinLength, int MaxLength, Gs1Charset Charset,
    int NumericPrefix = 0, int CheckDigitAt = 0, bool PredefinedLength = false)
{
    /// <summary>Why <paramref name="value"/> is not a valid value of this AI, or null when it is.</summary>
    public string? Problem(ReadOnlySpan<char> value)
    {
        if (value.Length < MinLength || value.Length > MaxLength)
            return MinLength == MaxLength ? $"AI ({Ai}) needs exactly {MinLength} characters, got {value.Length}"
                : $"AI ({Ai}) needs {MinLength} to {MaxLength} characters, got {value.Length}";
        var digits = Charset == Gs1Charset.Numeric ? value.Length : Math.Min(NumericPrefix, value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var ok = i < digits ? value[i] is >= '0' and <= '9' : Gs1Charsets.Contains(Charset, value[i]);
            if (!ok)
                return $"AI ({Ai}) does not allow '{value[i]}' at position {i + 1}";
        }
        if (CheckDigitAt > 0 && !Gs1CheckDigit.IsValid(value[..CheckDigitAt]))
            return $"AI ({Ai}) has a wrong check digit";
        return null;
    }
}

/// <summary>Membership tests for the GS1 character sets.</summary>
public static class Gs1Charsets
{
    // CSET 82 (GS1 General Specifications Figure 7.11-1): ISO 646 invariant subset.
    private const string Cset82Symbols = "!\"%&'()*+,-./:;<=>?_";

    public static bool Contains(Gs1Charset charset, char c) => charset switch
    {
        Gs1Charset.Numeric => c is >= '0' and <= '9',
        Gs1Charset.Cset39 => c is >= '0' and <= '9' or >= 'A' and <= 'Z' or '#' or '-' or '/',
        _ => c is >= '0' and <= '9' or >= 'A' and <= 'Z' or >= 'a' and <= 'z' || Cset82Symbols.Contains(c),
    };
}

/// <summary>
/// The Application Identifiers Fabrica understands: the identification keys, their key qualifiers and the common data
/// attributes (dates, measures, internal AIs). Unknown AIs are rejected with a reason rather than guessed at.
/// </summary>
public static class Gs1ApplicationIdentifiers
{
    private static readonly FrozenDictionary<string, Gs1AiDefinition> Table = Build().ToFrozenDictionary(d => d.Ai, StringComparer.Ordinal);

    public static IEnumerable<Gs1AiDefinition> All => Table.Values;

    public static Gs1AiDefinition? Find(string ai) => Table.GetValueOrDefault(ai);

    /// <summary>The AI at the start of <paramref name="text"/> (AIs are prefix-free: 2, 3 or 4 digits).</summary>
    public static Gs1AiDefinition? Match(ReadOnlySpan<char> text)
    {
        for (var length = 2; length <= 4 && length <= text.Length; length++)
        {
            if (Table.TryGetValue(text[..length].ToString(), out var found))
                return found;
        }
        return null;
    }

    private static IEnumerable<Gs1AiDefinition> Build()
    {
        static Gs1AiDefinition N(string ai, string title, int length, int check = 0, bool predefined = false) =>
            new(ai, title, length, length, Gs1Charset.Numeric, CheckDigitAt: check, PredefinedLength: predefined);
        static Gs1AiDefinition Nv(string ai, string title, int max, int min = 1) => new(ai, title, min, max, Gs1Charset.Numeric);
        static Gs1AiDefinition X(string ai, string title, int max) => new(ai, title, 1, max, Gs1Charset.Cset82);

        // Identification keys (General Specifications §3.2, Figure 3.2-1 and §2).
        yield return N("00", "SSCC", 18, 18, predefined: true);
        yield return N("01", "GTIN", 14, 14, predefined: true);
        yield return N("02", "CONTENT", 14, 14, predefined: true);
        yield return new("253", "GDTI", 14, 30, Gs1Charset.Cset82, NumericPrefix: 13, CheckDigitAt: 13);
        yield return new("255", "GCN", 14, 25, Gs1Charset.Numeric, CheckDigitAt: 13);
        yield return X("401", "GINC", 30);
        yield return N("402", "GSIN", 17, 17);
        yield return new("8003", "GRAI", 14, 30, Gs1Charset.Cset82, NumericPrefix: 14, CheckDigitAt: 14);
        yield return X("8004", "GIAI", 30);
        yield return new("8006", "ITIP", 18, 18, Gs1Charset.Numeric, CheckDigitAt: 14);
        yield return new("8010", "CPID", 1, 30, Gs1Charset.Cset39);
        yield return X("8013", "GMN", 30);
        yield return N("8017", "GSRN - PROVIDER", 18, 18);
        yield return N("8018", "GSRN - RECIPIENT", 18, 18);
        foreach (var (ai, title) in new[] { ("410", "SHIP TO LOC"), ("411", "BILL TO"), ("412", "PURCHASE FROM"), ("413", "SHIP FOR LOC"), ("414", "LOC No."), ("415", "PAY TO"), ("416", "PROD/SERV LOC"), ("417", "PARTY") })
            yield return N(ai, title, 13, 13, predefined: true);
        // Key qualifiers.
        yield return X("10", "BATCH/LOT", 20);
        yield return X("21", "SERIAL", 20);
        yield return X("22", "CPV", 20);
        yield return X("235", "TPX", 28);
        yield return X("254", "GLN EXTENSION COMPONENT", 20);
        yield return new("7040", "UIC+EXT", 4, 4, Gs1Charset.Cset82, NumericPrefix: 1);
        yield return Nv("8011", "CPID SERIAL", 12);
        yield return Nv("8019", "SRIN", 10);
        yield return X("8020", "REF No.", 25);
        // Data attributes: dates (YYMMDD), counts, measures, references.
        foreach (var (ai, title) in new[] { ("11", "PROD DATE"), ("12", "DUE DATE"), ("13", "PACK DATE"), ("15", "BEST BEFORE"), ("16", "SELL BY"), ("17", "USE BY OR EXPIRY") })
            yield return N(ai, title, 6, predefined: true);
        yield return N("20", "VARIANT", 2, predefined: true);
        yield return Nv("30", "VAR. COUNT", 8);
        yield return Nv("37", "COUNT", 8);
        yield return X("240", "ADDITIONAL ID", 30);
        yield return X("241", "CUST. PART No.", 30);
        yield return Nv("242", "MTO VARIANT", 6);
        yield return X("250", "SECONDARY SERIAL", 30);
        yield return X("251", "REF. TO SOURCE", 30);
        yield return X("400", "ORDER NUMBER", 30);
        yield return X("403", "ROUTE", 30);
        yield return X("420", "SHIP TO POST", 20);
        yield return N("422", "ORIGIN", 3);
        yield return N("7003", "EXPIRY TIME", 10);
        // Trade and logistic measures 31nn–36nn: six digits, the last AI digit places the decimal point (Figure 7.8.5-1: predefined).
        foreach (var family in new[] { "310", "311", "312", "313", "314", "315", "316", "320", "321", "322", "323", "324", "325", "326", "327", "328", "329",
                     "330", "331", "332", "333", "334", "335", "336", "337", "340", "341", "342", "343", "344", "345", "346", "347", "348", "349",
                     "350", "351", "352", "353", "354", "355", "356", "357", "360", "361", "362", "363", "364", "365", "366", "367", "368", "369" })
        {
            for (var d = 0; d <= 5; d++)
                yield return N(family + (char)('0' + d), "MEASURE", 6, predefined: true);
        }
        yield return X("90", "INTERNAL", 30);
        for (var i = 91; i <= 99; i++)
            yield return X(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "INTERNAL", 90);
    }
}
