using System.Buffers.Binary;
using System.Text;

namespace Fabrica.Identifiers.Dns;

/// <summary>One resource record to serve: its owner (lower-case wire form), type, TTL and RDATA.</summary>
public sealed record DnsRecord(byte[] Owner, DnsType Type, uint Ttl, byte[] Data)
{
    /// <summary>
    /// NAPTR RDATA (RFC 3403 §4.1): ORDER and PREFERENCE (16 bits each), FLAGS, SERVICES and REGEXP as
    /// &lt;character-string&gt;s, then REPLACEMENT as an uncompressed domain name.
    /// </summary>
    public static DnsRecord Naptr(byte[] owner, uint ttl, ushort order, ushort preference, string flags, string service, string regexp, ReadOnlySpan<byte> replacement = default)
    {
        var data = new List<byte>(64);
        AppendUInt16(data, order);
        AppendUInt16(data, preference);
        AppendCharacterString(data, Encoding.UTF8.GetBytes(flags));
        AppendCharacterString(data, Encoding.UTF8.GetBytes(service));
        AppendCharacterString(data, Encoding.UTF8.GetBytes(regexp));
        data.AddRange(replacement.IsEmpty ? DnsName.Root : replacement);
        return new DnsRecord(owner, DnsType.Naptr, ttl, [.. data]);
    }

    /// <summary>
    /// The REGEXP that replaces the whole application unique string with <paramref name="uri"/> (RFC 3402 §3.2):
    /// <c>!^.*$!uri!</c>. A '!' or '\' inside the URI is escaped with '\' so the delimiter stays unambiguous.
    /// </summary>
    public static string ReplaceAllWith(string uri) => "!^.*$!" + uri.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("!", "\\!", StringComparison.Ordinal) + "!";

    /// <summary>TXT RDATA (RFC 1035 §3.3.14): the text in &lt;character-string&gt;s of at most 255 bytes each.</summary>
    public static DnsRecord Txt(byte[] owner, uint ttl, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var data = new List<byte>(bytes.Length + bytes.Length / 255 + 1);
        var rest = bytes.AsSpan();
        do
        {
            var chunk = rest[..Math.Min(255, rest.Length)];
            AppendCharacterString(data, chunk);
            rest = rest[chunk.Length..];
        }
        while (!rest.IsEmpty);
        return new DnsRecord(owner, DnsType.Txt, ttl, [.. data]);
    }

    /// <summary>URI RDATA (RFC 7553 §4.5): PRIORITY, WEIGHT (16 bits each), then the target URI to the end of the RDATA, no length byte.</summary>
    public static DnsRecord Uri(byte[] owner, uint ttl, ushort priority, ushort weight, string target)
    {
        var data = new List<byte>(4 + target.Length);
        AppendUInt16(data, priority);
        AppendUInt16(data, weight);
        data.AddRange(Encoding.UTF8.GetBytes(target));
        return new DnsRecord(owner, DnsType.Uri, ttl, [.. data]);
    }

    /// <summary>SOA RDATA (RFC 1035 §3.3.13): MNAME, RNAME, SERIAL, REFRESH, RETRY, EXPIRE, MINIMUM (the negative-caching TTL, RFC 2308 §4).</summary>
    public static DnsRecord Soa(byte[] owner, uint ttl, byte[] primary, byte[] mailbox, uint serial, uint refresh, uint retry, uint expire, uint minimum)
    {
        var data = new List<byte>(primary.Length + mailbox.Length + 20);
        data.AddRange(primary);
        data.AddRange(mailbox);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var field in (ReadOnlySpan<uint>)[serial, refresh, retry, expire, minimum])
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, field);
            data.AddRange(bytes);
        }
        return new DnsRecord(owner, DnsType.Soa, ttl, [.. data]);
    }

    private static void AppendUInt16(List<byte> data, ushort value)
    {
        data.Add((byte)(value >> 8));
        data.Add((byte)value);
    }

    /// <summary>&lt;character-string&gt; (RFC 1035 §3.3): one length byte, then at most 255 bytes.</summary>
    private static void AppendCharacterString(List<byte> data, ReadOnlySpan<byte> value)
    {
        if (value.Length > 255)
            throw new ArgumentException("A DNS character-string is at most 255 bytes.", nameof(value));
        data.Add((byte)value.Length);
        data.AddRange(value);
    }
}
