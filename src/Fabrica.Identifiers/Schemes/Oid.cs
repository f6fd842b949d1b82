using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Fabrica.Identifiers.Schemes;

/// <summary>
/// An object identifier in dotted form (ITU-T X.660 / ISO/IEC 9834-1, dotted notation of RFC 3061 and X.680):
/// at least two arcs; the first is 0 (itu-t), 1 (iso) or 2 (joint-iso-itu-t); under 0 and 1 the second arc is 0–39
/// (X.690 §8.19.4, so that the first two arcs fit one subidentifier); arcs are non-negative decimal integers without
/// leading zeros. <c>urn:oid:</c> (RFC 3061) and <c>oid:</c> prefixes are accepted.
/// </summary>
public sealed record Oid
{
    private Oid(IReadOnlyList<BigInteger> arcs, string dotted)
    {
        Arcs = arcs;
        Dotted = dotted;
    }

    /// <summary>Arcs can exceed 64 bits (UUID-based OIDs under 2.25 do).</summary>
    public IReadOnlyList<BigInteger> Arcs { get; }

    public string Dotted { get; }

    public override string ToString() => Dotted;

    public string ToUrn() => "urn:oid:" + Dotted;

    /// <summary>Is <paramref name="ancestor"/> this OID or one of its ancestors?</summary>
    public bool IsUnder(Oid ancestor) => Arcs.Count >= ancestor.Arcs.Count && ancestor.Arcs.Select((a, i) => a == Arcs[i]).All(x => x);

    /// <summary>The arcs below <paramref name="ancestor"/>, dotted ("" when equal).</summary>
    public string RelativeTo(Oid ancestor) => string.Join('.', Arcs.Skip(ancestor.Arcs.Count));

    public static Oid Parse(string text) => TryParse(text, out var oid, out var error) ? oid : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out Oid? oid, [NotNullWhen(false)] out string? error)
    {
        oid = null;
        if (text is null)
        {
            error = "An OID cannot be empty";
            return false;
        }
        var dotted = text.StartsWith("urn:oid:", StringComparison.OrdinalIgnoreCase) ? text[8..]
            : text.StartsWith("oid:", StringComparison.OrdinalIgnoreCase) ? text[4..] : text;
        var parts = dotted.Split('.');
        if (parts.Length < 2)
        {
            error = "An OID has at least two arcs";
            return false;
        }
        var arcs = new BigInteger[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length == 0 || part.Length > 39 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0'))
            {
                error = $"Arc {i + 1} ('{part}') is not a decimal number without leading zeros";
                return false;
            }
            arcs[i] = BigInteger.Parse(part, System.Globalization.CultureInfo.InvariantCulture);
        }
        if (arcs[0] > 2)
        {
            error = "The first arc is 0 (itu-t), 1 (iso) or 2 (joint-iso-itu-t)";
            return false;
        }
        if (arcs[0] < 2 && arcs[1] > 39)
        {
            error = "Under arcs 0 and 1 the second arc is at most 39";
            return false;
        }
        oid = new Oid(arcs, dotted);
        error = null;
        return true;
    }
}
