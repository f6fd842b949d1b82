using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Schemes;

namespace Fabrica.Identifiers.Mapping;

/// <summary>What a mapping rule binds: a GS1 Company Prefix, or an OID arc, to an enterprise's handle prefix.</summary>
public enum MappingRuleKind
{
    Gs1CompanyPrefix,
    OidArc,
}

/// <summary>
/// A rule that binds a scheme's namespace to a handle prefix (issue 6, scope 2): every GS1 key of company prefix
/// <c>0614141</c> lives under <c>88.100.12</c> as <c>88.100.12/01/00614141812345/21/6789</c> (the Digital Link path);
/// every OID under <c>1.2.156.101818</c> as <c>88.100.12/oid/2.16</c>. Stored as a value of the prefix record
/// <c>0.NA/&lt;prefix&gt;</c>, so it is durable, signed and travels with the prefix's other data.
/// </summary>
public sealed record MappingRule(MappingRuleKind Kind, string Match, string Prefix)
{
    /// <summary>Value types of the rules in a prefix record.</summary>
    public const string Gs1Type = "FABRICA_MAP_GS1";

    public const string OidType = "FABRICA_MAP_OID";

    public string ValueType => Kind == MappingRuleKind.Gs1CompanyPrefix ? Gs1Type : OidType;
}

/// <summary>The value type that names another identifier of the same object (any scheme Fabrica recognises).</summary>
public static class AlternateIdentifiers
{
    public const string Type = "ALT_ID";
}

/// <summary>How an identifier reached its handle: it is the handle, an explicit ALT_ID value, or a mapping rule.</summary>
public enum MatchKind
{
    Handle,
    Alternate,
    Rule,
}

/// <summary>
/// An identifier resolved to a record of this node: the scheme recognised, the handle, the canonical key that matched
/// (less specific than the request after walking up), how, and the node's answer — already filtered to public values
/// for callers who may not read the others.
/// </summary>
public sealed record MappedRecord(RecognisedIdentifier Identifier, string Handle, string MatchedKey, MatchKind Match, NodeAnswer Answer);
