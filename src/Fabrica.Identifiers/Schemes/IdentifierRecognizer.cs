using System.Diagnostics.CodeAnalysis;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Schemes.Epc;

namespace Fabrica.Identifiers.Schemes;

/// <summary>
/// Tells which scheme an identifier is written in and parses it: Digital Link URIs (http/https), EPC URNs
/// (<c>urn:epc:id:</c>, <c>urn:epc:tag:</c>), 96-bit EPC hex, GS1 element strings (bracketed or FNC1), bare GTINs,
/// OIDs (<c>urn:oid:</c>, <c>oid:</c> or dotted digits without a slash), Ecodes (<c>ecode:</c>) and handles
/// (<c>prefix/suffix</c>). A string that looks like a scheme but breaks its rules is refused with that scheme's reason
/// rather than tried as something else.
/// </summary>
public static class IdentifierRecognizer
{
    public static bool TryRecognise(string? text, [NotNullWhen(true)] out RecognisedIdentifier? identifier, [NotNullWhen(false)] out string? error)
    {
        identifier = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "No identifier given";
            return false;
        }
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!DigitalLinkUri.TryParse(text, out var link, out error))
                return false;
            identifier = Gs1(IdentifierScheme.Gs1DigitalLink, text, link.IdentifyingElements)!;
            return true;
        }
        if (text.StartsWith("urn:epc:id:", StringComparison.OrdinalIgnoreCase))
        {
            if (!EpcIdentity.TryParse(text, out var epc, out error))
                return false;
            identifier = Gs1(IdentifierScheme.EpcPureIdentity, text, epc.ToElementString())! with { Epc = epc };
            return true;
        }
        if (text.StartsWith("urn:epc:tag:", StringComparison.OrdinalIgnoreCase))
        {
            if (!EpcTag.TryParse(text, out var tag, out error))
                return false;
            identifier = Gs1(IdentifierScheme.EpcTagUri, text, tag.Identity.ToElementString())! with { Epc = tag.Identity };
            return true;
        }
        if (text.Length == 24 && text.All(char.IsAsciiHexDigit) && !text.Contains('/'))
        {
            if (!Epc96.TryDecodeHex(text, out var tag, out error))
                return false;
            identifier = Gs1(IdentifierScheme.Epc96, text, tag.Identity.ToElementString())! with { Epc = tag.Identity };
            return true;
        }
        if (text[0] is '(' or ']' || text.Contains(Gs1ElementString.GroupSeparator))
        {
            if (!Gs1ElementString.TryParse(text, out var elements, out error))
                return false;
            identifier = Gs1(IdentifierScheme.Gs1ElementString, text, elements);
            return identifier is not null || Fail("The element string has no identification key", out error);
        }
        if (text.StartsWith("urn:oid:", StringComparison.OrdinalIgnoreCase) || text.StartsWith("oid:", StringComparison.OrdinalIgnoreCase)
            || (text.Contains('.') && text.All(c => char.IsAsciiDigit(c) || c == '.')))
        {
            if (!Oid.TryParse(text, out var oid, out error))
                return false;
            identifier = new RecognisedIdentifier(IdentifierScheme.Oid, text, ["oid:" + oid.Dotted]) { Oid = oid };
            return true;
        }
        if (text.All(char.IsAsciiDigit) && text.Length is 8 or 12 or 13 or 14 && Gs1Keys.TryParseGtin(text, out var gtin, out _))
        {
            identifier = Gs1(IdentifierScheme.Gtin, text, new Gs1ElementString([new Gs1Element("01", gtin)]))!;
            error = null;
            return true;
        }
        if (text.StartsWith("ecode:", StringComparison.OrdinalIgnoreCase) || text.All(char.IsAsciiDigit))
        {
            if (!Ecode.TryParse(text, out var ecode, out error))
                return false;
            identifier = new RecognisedIdentifier(IdentifierScheme.Ecode, text, ["ecode:" + ecode.Code]) { Ecode = ecode };
            return true;
        }
        if (!HandleName.TryParse(text, out var handle, out error))
            return false;
        identifier = new RecognisedIdentifier(IdentifierScheme.Handle, text, [handle.ToString()]) { Handle = handle };
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }

    /// <summary>A GS1 identifier keyed by its primary key and qualifiers (data attributes are not identity); null without a key.</summary>
    private static RecognisedIdentifier? Gs1(IdentifierScheme scheme, string text, Gs1ElementString elements)
    {
        var primary = elements.Elements.FirstOrDefault(e => DigitalLinkUri.PrimaryKeys.ContainsKey(e.Ai));
        if (primary.Ai is null)
            return null;
        var link = DigitalLinkUri.FromElementString(elements);
        return new RecognisedIdentifier(scheme, text, RecognisedIdentifier.Gs1Keys([link.PrimaryKey, .. link.Qualifiers])) { Gs1 = link.IdentifyingElements };
    }
}
