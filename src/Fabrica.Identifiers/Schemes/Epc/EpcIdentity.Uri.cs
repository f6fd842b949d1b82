using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Fabrica.Identifiers.Schemes.Epc;

public sealed partial record EpcIdentity
{
    public static EpcIdentity Parse(string uri) => TryParse(uri, out var epc, out var error) ? epc : throw new FormatException(error);

    /// <summary>Parses a pure-identity EPC URN (<c>urn:epc:id:…</c>) of the four schemes.</summary>
    public static bool TryParse(string? uri, [NotNullWhen(true)] out EpcIdentity? epc, [NotNullWhen(false)] out string? error)
    {
        epc = null;
        const string Prefix = "urn:epc:id:";
        if (uri is null || !uri.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            error = "A pure-identity EPC URI starts with urn:epc:id:";
            return false;
        }
        var rest = uri[Prefix.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !Enum.TryParse<EpcScheme>(rest[..colon], ignoreCase: true, out var scheme) || !char.IsAsciiLetterLower(rest[0]))
        {
            error = "Supported EPC schemes are sgtin, sscc, grai and giai";
            return false;
        }
        var parts = rest[(colon + 1)..].Split('.');
        var expected = scheme is EpcScheme.Sgtin or EpcScheme.Grai ? 3 : 2;
        if (parts.Length != expected)
        {
            error = $"An {scheme.ToString().ToLowerInvariant()} URI has {expected} dot-separated components";
            return false;
        }
        string? serial = null;
        if (!TryUnescape(parts[1], out var reference) || (expected == 3 && !TryUnescape(parts[2], out serial)))
        {
            error = "Invalid percent-escape in an EPC URI component";
            return false;
        }
        epc = new EpcIdentity(scheme, parts[0], reference, serial);
        error = epc.Problem();
        if (error is not null)
            epc = null;
        return epc is not null;
    }

    // TDS §6.3 / Table I.3.1-1: these characters of CSET 82 are escaped in an EPC URI; the others appear literally.
    private const string Escaped = "\"%&/<>?";

    private static string Escape(string component)
    {
        if (component.AsSpan().IndexOfAny(Escaped) < 0)
            return component;
        var text = new StringBuilder(component.Length + 8);
        foreach (var c in component)
        {
            if (Escaped.Contains(c))
                text.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            else
                text.Append(c);
        }
        return text.ToString();
    }

    private static bool TryUnescape(string component, [NotNullWhen(true)] out string? value)
    {
        var text = new StringBuilder(component.Length);
        for (var i = 0; i < component.Length; i++)
        {
            var c = component[i];
            if (c == '%')
            {
                if (i + 2 >= component.Length || !byte.TryParse(component.AsSpan(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var b) || !Escaped.Contains((char)b))
                {
                    value = "";
                    return false;
                }
                text.Append((char)b);
                i += 2;
            }
            else if (Escaped.Contains(c) || !Gs1Charsets.Contains(Gs1Charset.Cset82, c))
            {
                value = "";
                return false;
            }
            else
            {
                text.Append(c);
            }
        }
        value = text.ToString();
        return true;
    }
}
