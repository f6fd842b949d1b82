using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Fabrica.Identifiers.Schemes.Epc;

/// <summary>The EPC schemes Fabrica reads and writes (EPC Tag Data Standard 2.x §6.3).</summary>
public enum EpcScheme
{
    Sgtin,
    Sscc,
    Grai,
    Giai,
}

/// <summary>
/// An EPC in pure-identity form (TDS §6.3): <c>urn:epc:id:sgtin:CompanyPrefix.ItemRefAndIndicator.Serial</c>,
/// <c>urn:epc:id:sscc:CompanyPrefix.SerialReference</c>, <c>urn:epc:id:grai:CompanyPrefix.AssetType.Serial</c>,
/// <c>urn:epc:id:giai:CompanyPrefix.IndividualAssetReference</c>. <see cref="Reference"/> is the second component;
/// <see cref="Serial"/> the third (SGTIN, GRAI) or null.
/// </summary>
public sealed partial record EpcIdentity(EpcScheme Scheme, string CompanyPrefix, string Reference, string? Serial)
{
    public string SchemeName => Scheme.ToString().ToLowerInvariant();

    /// <summary>The pure-identity URN; the serial component escaped as TDS §6.3 requires.</summary>
    public string ToPureIdentityUri()
    {
        var text = new StringBuilder("urn:epc:id:").Append(SchemeName).Append(':').Append(CompanyPrefix).Append('.').Append(Escape(Reference));
        if (Serial is not null)
            text.Append('.').Append(Escape(Serial));
        return text.ToString();
    }

    public override string ToString() => ToPureIdentityUri();

    /// <summary>The GS1 element string this EPC stands for (TDS §7: EPC ↔ GS1 key translation).</summary>
    public Gs1ElementString ToElementString() => Scheme switch
    {
        EpcScheme.Sgtin => new([new("01", Gs1Keys.WithCheckDigit(Reference[..1] + CompanyPrefix + Reference[1..])), new("21", Serial!)]),
        EpcScheme.Sscc => new([new("00", Gs1Keys.WithCheckDigit(Reference[..1] + CompanyPrefix + Reference[1..]))]),
        EpcScheme.Grai => new([new("8003", "0" + Gs1Keys.WithCheckDigit(CompanyPrefix + Reference) + Serial)]),
        _ => new([new("8004", CompanyPrefix + Reference)]),
    };

    /// <summary>
    /// The EPC for a GS1 key, given the length of its GS1 Company Prefix (which a key alone does not reveal, TDS §7.1):
    /// (01)+(21) → SGTIN, (00) → SSCC, (8003) with a serial → GRAI, (8004) → GIAI.
    /// </summary>
    public static bool TryFromElementString(Gs1ElementString elements, int companyPrefixLength, [NotNullWhen(true)] out EpcIdentity? epc, [NotNullWhen(false)] out string? error)
    {
        epc = null;
        var l = companyPrefixLength;
        if (l is < 6 or > 12)
        {
            error = "A GS1 Company Prefix has 6 to 12 digits";
            return false;
        }
        if (elements["01"] is { } gtin && elements["21"] is { } serial)
            epc = new EpcIdentity(EpcScheme.Sgtin, gtin.Substring(1, l), gtin[..1] + gtin.Substring(1 + l, 12 - l), serial);
        else if (elements["00"] is { } sscc)
            epc = new EpcIdentity(EpcScheme.Sscc, sscc.Substring(1, l), sscc[..1] + sscc.Substring(1 + l, 16 - l), null);
        else if (elements["8003"] is { } grai && grai.Length > 14)
            epc = new EpcIdentity(EpcScheme.Grai, grai.Substring(1, l), grai.Substring(1 + l, 12 - l), grai[14..]);
        else if (elements["8004"] is { } giai && giai.Length > l && Gs1CheckDigit.IsDigits(giai.AsSpan(0, l)))
            epc = new EpcIdentity(EpcScheme.Giai, giai[..l], giai[l..], null);
        error = epc is null ? "No SGTIN (01+21), SSCC (00), serialised GRAI (8003) or GIAI (8004) in the element string" : epc.Problem();
        if (error is not null)
            epc = null;
        return epc is not null;
    }

    /// <summary>Why the components do not form a valid EPC of <see cref="Scheme"/>, or null.</summary>
    public string? Problem()
    {
        if (CompanyPrefix.Length is < 6 or > 12 || !Gs1CheckDigit.IsDigits(CompanyPrefix))
            return "The GS1 Company Prefix must be 6 to 12 digits";
        var (digits, total) = Scheme switch
        {
            EpcScheme.Sgtin => (true, 13),
            EpcScheme.Sscc => (true, 17),
            EpcScheme.Grai => (true, 12),
            _ => (false, 30),
        };
        if (digits && (CompanyPrefix.Length + Reference.Length != total || (Reference.Length > 0 && !Gs1CheckDigit.IsDigits(Reference))))
            return $"Company prefix and {ReferenceName} together must be {total} digits";
        if (!digits && (Reference.Length == 0 || CompanyPrefix.Length + Reference.Length > total || !Reference.All(c => Gs1Charsets.Contains(Gs1Charset.Cset82, c))))
            return "A GIAI is at most 30 characters of CSET 82";
        if (Scheme is EpcScheme.Sgtin or EpcScheme.Grai)
        {
            var max = Scheme == EpcScheme.Sgtin ? 20 : 16;
            if (string.IsNullOrEmpty(Serial) || Serial.Length > max || !Serial.All(c => Gs1Charsets.Contains(Gs1Charset.Cset82, c)))
                return $"The serial must be 1 to {max} characters of CSET 82";
        }
        else if (Serial is not null)
        {
            return $"An {Scheme.ToString().ToUpperInvariant()} has no serial component";
        }
        return null;
    }

    private string ReferenceName => Scheme switch
    {
        EpcScheme.Sgtin => "indicator and item reference",
        EpcScheme.Sscc => "extension and serial reference",
        EpcScheme.Grai => "asset type",
        _ => "individual asset reference",
    };
}
