using System.Globalization;
using Fabrica.Identifiers.Model;

namespace Fabrica.Identifiers.Dns;

/// <summary>How identifiers become domain names: GTINs for ONS, OIDs for ORS, handles for TXT/URI lookups.</summary>
public static class IdentifierDnsNames
{
    /// <summary>
    /// ONS 2.0.1 §6 (the "first valid key" of the ONS DDDS application): a GTIN (8, 12, 13 or 14 digits, written as
    /// GTIN-14) loses its check digit; the indicator digit stays first; the other twelve digits are reversed; each
    /// digit becomes a label; then <c>gtin.gs1.id.</c> and the ONS root. GTIN 00614141322602 →
    /// <c>0.0.6.2.2.3.1.4.1.4.1.6.0.gtin.gs1.id.onsepc.com</c>. Null when the GTIN is malformed or its check digit is wrong.
    /// </summary>
    public static byte[]? Ons(string gtin, string onsRoot)
    {
        if (gtin.Length is not (8 or 12 or 13 or 14) || !gtin.All(char.IsAsciiDigit))
            return null;
        var gtin14 = gtin.PadLeft(14, '0');
        if (CheckDigit(gtin14.AsSpan(0, 13)) != gtin14[13] - '0')
            return null;
        var labels = new List<string>(20) { gtin14[..1] };
        for (var i = 12; i >= 1; i--)
            labels.Add(gtin14.Substring(i, 1));
        labels.AddRange(["gtin", "gs1", "id"]);
        labels.AddRange(Labels(onsRoot));
        return DnsName.FromLabels(labels);
    }

    /// <summary>GS1 mod-10 check digit (GS1 General Specifications §7.9): weights 3 and 1 from the right.</summary>
    public static int CheckDigit(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
            sum += (digits[digits.Length - 1 - i] - '0') * (i % 2 == 0 ? 3 : 1);
        return (10 - sum % 10) % 10;
    }

    /// <summary>
    /// ITU-T X.672 §7.3: an OID's arcs, most specific first, under the ORS zone: 2.16.156.101818.102.1 →
    /// <c>1.102.101818.156.16.2.oid-res.org</c>. Null when an arc is not a decimal without leading zeros, or the
    /// first arc is not 0, 1 or 2 (X.660).
    /// </summary>
    public static byte[]? Ors(string oid, string zone)
    {
        var text = oid.StartsWith("urn:oid:", StringComparison.OrdinalIgnoreCase) ? oid[8..] : oid;
        var arcs = text.Split('.');
        if (arcs.Length == 0 || arcs.Any(a => a.Length == 0 || a.Length > DnsWire.MaxLabelLength || !a.All(char.IsAsciiDigit) || (a.Length > 1 && a[0] == '0')))
            return null;
        if (arcs[0] is not ("0" or "1" or "2"))
            return null;
        if (arcs.Length > 1 && arcs[0] != "2" && (arcs[1].Length > 2 || int.Parse(arcs[1], CultureInfo.InvariantCulture) > 39))
            return null;
        try
        {
            return DnsName.FromLabels(arcs.Reverse().Concat(Labels(zone)));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// A handle as a name: the suffix as one label, then the prefix segments reversed (the parent last, as in DNS),
    /// then the handle zone: 88.100.12/PUMP-0001 → <c>pump-0001.12.100.88.hdl.fabrica.internal</c>. DNS compares
    /// names without case, so suffixes that differ only in case share a name. Null for prefix records (0.NA/…) and
    /// suffixes longer than a label (63 bytes).
    /// </summary>
    public static byte[]? Handle(HandleName handle, string zone)
    {
        if (handle.IsPrefixRecord)
            return null;
        try
        {
            return DnsName.FromLabels(new[] { handle.Suffix }.Concat(handle.Prefix.Split('.').Reverse()).Concat(Labels(zone)));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string[] Labels(string zone)
    {
        var trimmed = zone.TrimEnd('.');
        return trimmed.Length == 0 ? [] : trimmed.Split('.');
    }
}
