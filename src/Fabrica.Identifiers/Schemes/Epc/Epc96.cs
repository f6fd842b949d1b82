using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace Fabrica.Identifiers.Schemes.Epc;

/// <summary>An EPC with the filter value of its tag encoding: the tag URI <c>urn:epc:tag:sgtin-96:F.CP.IR.S</c> (TDS §12).</summary>
public sealed record EpcTag(EpcIdentity Identity, int Filter)
{
    public string ToTagUri() =>
        $"urn:epc:tag:{Identity.SchemeName}-96:{Filter.ToString(CultureInfo.InvariantCulture)}." + Identity.ToPureIdentityUri()[(Identity.SchemeName.Length + 12)..];

    public override string ToString() => ToTagUri();

    /// <summary>Parses a 96-bit tag URI (<c>urn:epc:tag:sgtin-96:3.0614141.812345.6789</c>).</summary>
    public static bool TryParse(string? uri, [NotNullWhen(true)] out EpcTag? tag, [NotNullWhen(false)] out string? error)
    {
        tag = null;
        const string Prefix = "urn:epc:tag:";
        var dash = uri?.IndexOf("-96:", StringComparison.Ordinal) ?? -1;
        if (uri is null || !uri.StartsWith(Prefix, StringComparison.Ordinal) || dash < 0 || dash + 6 > uri.Length || uri[dash + 5] != '.')
        {
            error = "A 96-bit EPC tag URI looks like urn:epc:tag:sgtin-96:F.…";
            return false;
        }
        var filter = uri[dash + 4] - '0';
        if (filter is < 0 or > 7)
        {
            error = "The filter value is 0–7";
            return false;
        }
        if (!EpcIdentity.TryParse("urn:epc:id:" + uri[Prefix.Length..dash] + ":" + uri[(dash + 6)..], out var identity, out error))
            return false;
        tag = new EpcTag(identity, filter);
        if (Epc96.Problem(tag) is { } problem)
        {
            error = problem;
            tag = null;
            return false;
        }
        return true;
    }
}

/// <summary>
/// The 96-bit binary encodings of TDS §14.5: SGTIN-96 (header 0x30), SSCC-96 (0x31), GRAI-96 (0x33), GIAI-96 (0x34).
/// Layout, most significant bit first: header (8) · filter (3) · partition (3) · company prefix and reference (the
/// partition table splits these bits) · serial (38 bits for SGTIN and GRAI; SSCC ends in 24 unallocated zero bits).
/// </summary>
public static class Epc96
{
    private readonly record struct Partition(int PrefixBits, int ReferenceBits, int ReferenceDigits);

    private readonly record struct Layout(byte Header, int ReferenceAndPrefixBits, int SerialBits, Partition[] Partitions);

    // TDS Tables 14-2 (SGTIN), 14-5 (SSCC), 14-11 (GRAI), 14-14 (GIAI): per partition value P = 0…6 the company prefix
    // has 12 − P digits in the given number of bits; the reference gets the rest.
    private static readonly Layout Sgtin = new(0x30, 44, 38, [new(40, 4, 1), new(37, 7, 2), new(34, 10, 3), new(30, 14, 4), new(27, 17, 5), new(24, 20, 6), new(20, 24, 7)]);
    private static readonly Layout Sscc = new(0x31, 58, 0, [new(40, 18, 5), new(37, 21, 6), new(34, 24, 7), new(30, 28, 8), new(27, 31, 9), new(24, 34, 10), new(20, 38, 11)]);
    private static readonly Layout Grai = new(0x33, 44, 38, [new(40, 4, 0), new(37, 7, 1), new(34, 10, 2), new(30, 14, 3), new(27, 17, 4), new(24, 20, 5), new(20, 24, 6)]);
    private static readonly Layout Giai = new(0x34, 82, 0, [new(40, 42, 13), new(37, 45, 14), new(34, 48, 15), new(30, 52, 16), new(27, 55, 17), new(24, 58, 18), new(20, 62, 19)]);

    private static Layout For(EpcScheme scheme) => scheme switch
    {
        EpcScheme.Sgtin => Sgtin,
        EpcScheme.Sscc => Sscc,
        EpcScheme.Grai => Grai,
        _ => Giai,
    };

    /// <summary>Why <paramref name="tag"/> has no 96-bit encoding (serial not a number that fits, leading zeros, …), or null.</summary>
    public static string? Problem(EpcTag tag)
    {
        var id = tag.Identity;
        if (id.Problem() is { } problem)
            return problem;
        if (tag.Filter is < 0 or > 7)
            return "The filter value is 0–7";
        var layout = For(id.Scheme);
        var partition = layout.Partitions[12 - id.CompanyPrefix.Length];
        var numeric = id.Scheme == EpcScheme.Giai ? id.Reference : id.Serial;
        if (numeric is null)
            return null;
        var bits = id.Scheme == EpcScheme.Giai ? partition.ReferenceBits : layout.SerialBits;
        var what = id.Scheme == EpcScheme.Giai ? "individual asset reference" : "serial";
        if (!Gs1CheckDigit.IsDigits(numeric) || (numeric.Length > 1 && numeric[0] == '0'))
            return $"In a 96-bit encoding the {what} is a decimal number without leading zeros";
        return numeric.Length > 20 || BigInteger.Parse(numeric, CultureInfo.InvariantCulture) >= BigInteger.One << bits
            ? $"The {what} does not fit in {bits} bits" : null;
    }

    /// <summary>The 12 bytes of the tag's EPC memory bank (after the PC bits).</summary>
    public static byte[] Encode(EpcTag tag)
    {
        if (Problem(tag) is { } problem)
            throw new FormatException(problem);
        var id = tag.Identity;
        var layout = For(id.Scheme);
        var p = 12 - id.CompanyPrefix.Length;
        var partition = layout.Partitions[p];
        UInt128 value = layout.Header;
        value = (value << 3) | (uint)tag.Filter;
        value = (value << 3) | (uint)p;
        value = (value << partition.PrefixBits) | ulong.Parse(id.CompanyPrefix, CultureInfo.InvariantCulture);
        var reference = id.Reference.Length == 0 ? UInt128.Zero : UInt128.Parse(id.Reference, CultureInfo.InvariantCulture);
        value = (value << partition.ReferenceBits) | reference;
        value = id.Scheme == EpcScheme.Sscc ? value << 24 : (value << layout.SerialBits) | (id.Serial is null ? UInt128.Zero : UInt128.Parse(id.Serial, CultureInfo.InvariantCulture));
        var bytes = new byte[12];
        for (var i = 11; i >= 0; i--)
        {
            bytes[i] = (byte)value;
            value >>= 8;
        }
        return bytes;
    }

    public static string EncodeHex(EpcTag tag) => Convert.ToHexString(Encode(tag));

    /// <summary>Decodes 24 hex digits; refuses unknown headers, partition 7 and fields beyond their digit count (TDS §14.5.x.2).</summary>
    public static bool TryDecodeHex(string? hex, [NotNullWhen(true)] out EpcTag? tag, [NotNullWhen(false)] out string? error)
    {
        tag = null;
        if (hex is null || hex.Length != 24 || !hex.All(char.IsAsciiHexDigit))
        {
            error = "A 96-bit EPC is 24 hex digits";
            return false;
        }
        return TryDecode(Convert.FromHexString(hex), out tag, out error);
    }

    public static bool TryDecode(ReadOnlySpan<byte> epc, [NotNullWhen(true)] out EpcTag? tag, [NotNullWhen(false)] out string? error)
    {
        tag = null;
        if (epc.Length != 12)
        {
            error = "A 96-bit EPC is 12 bytes";
            return false;
        }
        UInt128 value = 0;
        foreach (var b in epc)
            value = (value << 8) | b;
        EpcScheme? scheme = epc[0] switch { 0x30 => EpcScheme.Sgtin, 0x31 => EpcScheme.Sscc, 0x33 => EpcScheme.Grai, 0x34 => EpcScheme.Giai, _ => null };
        if (scheme is not { } s)
        {
            error = $"EPC header 0x{epc[0]:X2} is not SGTIN-96, SSCC-96, GRAI-96 or GIAI-96";
            return false;
        }
        var layout = For(s);
        var filter = (int)(value >> 85) & 7;
        var p = (int)(value >> 82) & 7;
        if (p > 6)
        {
            error = "Partition value 7 is reserved";
            return false;
        }
        var partition = layout.Partitions[p];
        var afterPrefix = 82 - partition.PrefixBits;
        var prefix = (ulong)((value >> afterPrefix) & ((UInt128.One << partition.PrefixBits) - 1));
        var reference = (value >> (afterPrefix - partition.ReferenceBits)) & ((UInt128.One << partition.ReferenceBits) - 1);
        var prefixDigits = 12 - p;
        if (prefix >= Pow10(prefixDigits) || (s != EpcScheme.Giai && reference >= Pow10(partition.ReferenceDigits)))
        {
            error = "A field holds more digits than its partition allows";
            return false;
        }
        var prefixText = prefix.ToString(CultureInfo.InvariantCulture).PadLeft(prefixDigits, '0');
        var referenceText = s == EpcScheme.Giai ? reference.ToString(CultureInfo.InvariantCulture)
            : partition.ReferenceDigits == 0 ? "" : reference.ToString(CultureInfo.InvariantCulture).PadLeft(partition.ReferenceDigits, '0');
        string? serial = layout.SerialBits == 0 ? null : (value & ((UInt128.One << layout.SerialBits) - 1)).ToString(CultureInfo.InvariantCulture);
        tag = new EpcTag(new EpcIdentity(s, prefixText, referenceText, serial), filter);
        if (tag.Identity.Problem() is { } problem)
        {
            error = problem;
            tag = null;
            return false;
        }
        error = null;
        return true;
    }

    private static UInt128 Pow10(int digits)
    {
        UInt128 result = 1;
        for (var i = 0; i < digits; i++)
            result *= 10;
        return result;
    }
}
