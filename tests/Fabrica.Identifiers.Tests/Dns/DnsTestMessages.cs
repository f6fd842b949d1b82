using System.Buffers.Binary;
using Fabrica.Identifiers.Dns;

namespace Fabrica.Identifiers.Tests.Dns;

/// <summary>Queries built byte by byte from RFC 1035 §4.1, independent of the server's own code, and a reader for answers.</summary>
internal static class DnsTestMessages
{
    public static byte[] Query(string name, DnsType type, ushort id = 0x1234, ushort? ednsSize = null, byte ednsVersion = 0, ushort flags = 0x0100, ushort @class = 1)
    {
        var bytes = new List<byte> { (byte)(id >> 8), (byte)id, (byte)(flags >> 8), (byte)flags, 0, 1, 0, 0, 0, 0, 0, (byte)(ednsSize is null ? 0 : 1) };
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }
        bytes.Add(0);
        bytes.AddRange([(byte)((ushort)type >> 8), (byte)type, (byte)(@class >> 8), (byte)@class]);
        if (ednsSize is { } size)
            bytes.AddRange([0, 0, 41, (byte)(size >> 8), (byte)size, 0, ednsVersion, 0, 0, 0, 0]);
        return [.. bytes];
    }

    public static ushort Id(ReadOnlySpan<byte> m) => BinaryPrimitives.ReadUInt16BigEndian(m);

    public static int Rcode(ReadOnlySpan<byte> m) => m[3] & 0xF;

    public static bool IsResponse(ReadOnlySpan<byte> m) => (m[2] & 0x80) != 0;

    public static bool Authoritative(ReadOnlySpan<byte> m) => (m[2] & 0x04) != 0;

    public static bool Truncated(ReadOnlySpan<byte> m) => (m[2] & 0x02) != 0;

    public static int Count(ReadOnlySpan<byte> m, int section) => BinaryPrimitives.ReadUInt16BigEndian(m[(4 + 2 * section)..]);

    /// <summary>The records of every section after the question: (section, type, ttl, rdata). Follows compression pointers only to skip names.</summary>
    public static List<(int Section, ushort Type, uint Ttl, byte[] Data)> Records(byte[] m)
    {
        var position = 12;
        for (var q = 0; q < Count(m, 0); q++)
            position = SkipName(m, position) + 4;
        var records = new List<(int, ushort, uint, byte[])>();
        for (var section = 1; section <= 3; section++)
        {
            for (var i = 0; i < Count(m, section); i++)
            {
                position = SkipName(m, position);
                var type = BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(position));
                var ttl = BinaryPrimitives.ReadUInt32BigEndian(m.AsSpan(position + 4));
                var length = BinaryPrimitives.ReadUInt16BigEndian(m.AsSpan(position + 8));
                records.Add((section, type, ttl, m.AsSpan(position + 10, length).ToArray()));
                position += 10 + length;
            }
        }
        Assert.Equal(m.Length, position);
        return records;
    }

    private static int SkipName(byte[] m, int position)
    {
        while (true)
        {
            var length = m[position];
            if (length == 0)
                return position + 1;
            if ((length & 0xC0) == 0xC0)
                return position + 2;
            position += 1 + length;
        }
    }

    /// <summary>NAPTR RDATA's REGEXP field (RFC 3403 §4.1), for assertions.</summary>
    public static (ushort Order, ushort Preference, string Flags, string Service, string Regexp) Naptr(byte[] data)
    {
        var position = 4;
        string Next()
        {
            var length = data[position];
            var text = System.Text.Encoding.UTF8.GetString(data, position + 1, length);
            position += 1 + length;
            return text;
        }
        var flags = Next();
        var service = Next();
        var regexp = Next();
        Assert.Equal(0, data[position]);
        return (BinaryPrimitives.ReadUInt16BigEndian(data), BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(2)), flags, service, regexp);
    }
}
