using System.Text;

namespace Fabrica.Identifiers.Dns;

/// <summary>
/// Domain names in wire form (RFC 1035 §3.1): length-prefixed labels ending with the zero-length root label, kept in
/// lower case so that a byte comparison is the case-insensitive comparison DNS asks for (RFC 4343, ASCII only).
/// </summary>
public static class DnsName
{
    /// <summary>The root name: one zero byte.</summary>
    public static ReadOnlySpan<byte> Root => [0];

    /// <summary>Encodes labels (most specific first) into lower-case wire form; throws when a label or the name is too long.</summary>
    public static byte[] FromLabels(IEnumerable<string> labels)
    {
        var buffer = new List<byte>(64);
        foreach (var label in labels)
        {
            var bytes = Encoding.UTF8.GetBytes(label);
            if (bytes.Length is 0 or > DnsWire.MaxLabelLength)
                throw new ArgumentException($"DNS label '{label}' must be 1 to {DnsWire.MaxLabelLength} bytes.", nameof(labels));
            buffer.Add((byte)bytes.Length);
            foreach (var b in bytes)
                buffer.Add(ToLower(b));
        }
        buffer.Add(0);
        if (buffer.Count > DnsWire.MaxNameLength)
            throw new ArgumentException($"A DNS name is at most {DnsWire.MaxNameLength} bytes.", nameof(labels));
        return [.. buffer];
    }

    /// <summary>Encodes a dotted name such as <c>oid-res.org</c> (no escapes; a trailing dot is allowed; "" or "." is the root).</summary>
    public static byte[] Parse(string dotted)
    {
        ArgumentNullException.ThrowIfNull(dotted);
        var trimmed = dotted.EndsWith('.') ? dotted[..^1] : dotted;
        return trimmed.Length == 0 ? [0] : FromLabels(trimmed.Split('.'));
    }

    /// <summary>The dotted form, for logs and tests; bytes outside printable ASCII and dots inside labels are escaped as dig does.</summary>
    public static string ToText(ReadOnlySpan<byte> wire)
    {
        var text = new StringBuilder();
        var position = 0;
        while (position < wire.Length && wire[position] != 0)
        {
            int length = wire[position++];
            foreach (var b in wire.Slice(position, Math.Min(length, wire.Length - position)))
            {
                if (b is (byte)'.' or (byte)'\\' or (byte)'"')
                    text.Append('\\').Append((char)b);
                else if (b is > 0x20 and < 0x7F)
                    text.Append((char)b);
                else
                    text.Append('\\').Append(b.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
            }
            text.Append('.');
            position += length;
        }
        return text.Length == 0 ? "." : text.ToString();
    }

    /// <summary>Is <paramref name="zone"/> (wire form) the name itself or one of its ancestors, matched at a label boundary?</summary>
    public static bool IsAtOrBelow(ReadOnlySpan<byte> name, ReadOnlySpan<byte> zone)
    {
        if (zone.Length > name.Length || !name.EndsWith(zone))
            return false;
        var boundary = name.Length - zone.Length;
        var position = 0;
        while (position < boundary)
            position += name[position] + 1;
        return position == boundary;
    }

    /// <summary>The name one label up (the parent), or an empty span for the root.</summary>
    public static ReadOnlySpan<byte> Parent(ReadOnlySpan<byte> name) => name.Length <= 1 ? default : name[(name[0] + 1)..];

    internal static byte ToLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
}
