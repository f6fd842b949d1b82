namespace Fabrica.Identifiers.Model;

/// <summary>Value types with a meaning defined by RFC 3651 §3 and Handle.Net; any other UTF-8 type is free (<c>manufacturer</c>, <c>fabrica.asset</c>).</summary>
public static class HandleTypes
{
    public const string Url = "URL";
    public const string Email = "EMAIL";
    public const string Admin = "HS_ADMIN";
    public const string Site = "HS_SITE";
    public const string Service = "HS_SERV";
    public const string PublicKey = "HS_PUBKEY";
    public const string SecretKey = "HS_SECKEY";
    public const string ValueList = "HS_VLIST";
    public const string Alias = "HS_ALIAS";
    public const string Location = "10320/loc";

    /// <summary>The prefix owner's Ed25519 signature over the record's values (Fabrica's form of Handle.Net's HS_SIGNATURE).</summary>
    public const string Signature = "HS_SIGNATURE";

    /// <summary>Does a requested type match a value type? Per Handle.Net, a requested type ending in '.' matches its dotted subtypes.</summary>
    public static bool Matches(string requested, string actual) =>
        requested.EndsWith('.')
            ? actual.StartsWith(requested, StringComparison.OrdinalIgnoreCase) || actual.Equals(requested[..^1], StringComparison.OrdinalIgnoreCase)
            : actual.Equals(requested, StringComparison.OrdinalIgnoreCase);
}
