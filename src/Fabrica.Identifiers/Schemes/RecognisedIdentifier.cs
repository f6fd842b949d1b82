using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Schemes.Epc;

namespace Fabrica.Identifiers.Schemes;

/// <summary>The identifier systems that co-exist in a Fabrica node (issue 6: Handle, GS1/EPC, OID, Ecode).</summary>
public enum IdentifierScheme
{
    Handle,
    Gs1DigitalLink,
    Gs1ElementString,
    Gtin,
    EpcPureIdentity,
    EpcTagUri,
    Epc96,
    Oid,
    Ecode,
}

/// <summary>
/// An identifier whose scheme was recognised, with its parsed form. <see cref="Keys"/> are the canonical lookup keys,
/// most specific first: <c>gs1:(01)…(21)…</c>, then less specific ones a resolver may walk up to (lot, bare GTIN);
/// <c>oid:1.2…</c>; <c>ecode:…</c>; or the handle itself.
/// </summary>
public sealed record RecognisedIdentifier(IdentifierScheme Scheme, string Text, IReadOnlyList<string> Keys)
{
    public Gs1ElementString? Gs1 { get; init; }

    public EpcIdentity? Epc { get; init; }

    public Oid? Oid { get; init; }

    public Ecode? Ecode { get; init; }

    public HandleName? Handle { get; init; }

    /// <summary>The scheme's name as the API reports it (<c>gs1-digital-link</c>, <c>epc-96</c>, …).</summary>
    public string SchemeName => Scheme switch
    {
        IdentifierScheme.Handle => "handle",
        IdentifierScheme.Gs1DigitalLink => "gs1-digital-link",
        IdentifierScheme.Gs1ElementString => "gs1-element-string",
        IdentifierScheme.Gtin => "gtin",
        IdentifierScheme.EpcPureIdentity => "epc-pure-identity",
        IdentifierScheme.EpcTagUri => "epc-tag-uri",
        IdentifierScheme.Epc96 => "epc-96",
        IdentifierScheme.Oid => "oid",
        _ => "ecode",
    };

    /// <summary>
    /// The canonical keys of GS1 identifying elements, most specific first. For a GTIN the instance key is GTIN +
    /// serial (General Specifications §4.x: a serial is unique within a GTIN), so a lot or CPV next to a serial does not
    /// change which object is meant; walking up then drops the serial, then the lot (GS1-Conformant resolver §5.7).
    /// </summary>
    public static IReadOnlyList<string> Gs1Keys(IReadOnlyList<Gs1Element> identifying)
    {
        var primary = identifying[0];
        var qualifiers = identifying.Skip(1).ToList();
        var keys = new List<string>();
        if (primary.Ai is "01" or "8006" && qualifiers.FirstOrDefault(q => q.Ai == "21") is { Ai: not null } serial)
        {
            keys.Add(Key([primary, serial]));
            qualifiers.Remove(serial);
        }
        for (var n = qualifiers.Count; n >= 0; n--)
        {
            var key = Key([primary, .. qualifiers.Take(n)]);
            if (!keys.Contains(key))
                keys.Add(key);
        }
        return keys;
    }

    private static string Key(IEnumerable<Gs1Element> elements) => "gs1:" + string.Concat(elements.Select(e => e.ToString()));
}
