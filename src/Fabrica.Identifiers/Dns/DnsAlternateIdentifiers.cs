using Fabrica.Identifiers.Mapping;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Schemes;

namespace Fabrica.Identifiers.Dns;

/// <summary>The identifier schemes that have a DNS name of their own.</summary>
public enum AlternateScheme
{
    Gtin,
    Oid,
}

/// <summary>Another name of the same object, in a scheme that DNS can look up.</summary>
public sealed record AlternateIdentifier(AlternateScheme Scheme, string Value);

/// <summary>
/// Finds the GTINs and OIDs a handle record is also known by: its <c>ALT_ID</c> values (the mapping service's
/// alternate identifiers, any scheme <see cref="IdentifierRecognizer"/> knows: a Digital Link, an SGTIN URN or
/// SGTIN-96, an element string, an OID…) reduced to their GTIN or OID, and plain values of type <c>GTIN</c> and
/// <c>OID</c>. ONS names a GTIN, not a serialised item, so every serial of a GTIN shares its NAPTR records. Values
/// readable only by authorised readers are not used: a name in DNS would reveal the link.
/// </summary>
public static class DnsAlternateIdentifiers
{
    public const string GtinType = "GTIN";
    public const string OidType = "OID";

    public static IEnumerable<AlternateIdentifier> Of(HandleRecord record)
    {
        var found = new HashSet<AlternateIdentifier>();
        // A record a mapping rule created is named by its Digital Link path (88.100.12/01/<gtin>/21/<serial>).
        if (record.Handle.Suffix.StartsWith("01/", StringComparison.Ordinal))
            AddKeys(found, "https://id.gs1.org/" + record.Handle.Suffix);
        foreach (var value in record.Values)
        {
            if (!value.IsPublicReadable)
                continue;
            if (value.Type.Equals(GtinType, StringComparison.OrdinalIgnoreCase))
                found.Add(new AlternateIdentifier(AlternateScheme.Gtin, value.DataText.Trim()));
            else if (value.Type.Equals(OidType, StringComparison.OrdinalIgnoreCase))
                found.Add(new AlternateIdentifier(AlternateScheme.Oid, value.DataText.Trim()));
            else if (value.Type.Equals(AlternateIdentifiers.Type, StringComparison.OrdinalIgnoreCase))
                AddKeys(found, value.DataText.Trim());
        }
        return found;
    }

    private static void AddKeys(HashSet<AlternateIdentifier> found, string identifier)
    {
        if (!IdentifierRecognizer.TryRecognise(identifier, out var recognised, out _))
            return;
        foreach (var key in recognised.Keys)
        {
            // Canonical keys: "gs1:(01)<14 digits>…" and "oid:<dotted>" (RecognisedIdentifier).
            if (key.StartsWith("gs1:(01)", StringComparison.Ordinal) && key.Length >= 22)
                found.Add(new AlternateIdentifier(AlternateScheme.Gtin, key.Substring(8, 14)));
            else if (key.StartsWith("oid:", StringComparison.Ordinal))
                found.Add(new AlternateIdentifier(AlternateScheme.Oid, key[4..]));
        }
    }
}
