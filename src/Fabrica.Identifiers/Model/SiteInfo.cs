using System.Buffers;
using System.Net;
using Fabrica.Identifiers.Native;

namespace Fabrica.Identifiers.Model;

/// <summary>RFC 3651 §3.2.2 interface: what a server offers on a port.</summary>
public sealed record SiteInterface(SiteInterface.Services Service, SiteInterface.Transport Protocol, int Port)
{
    public enum Services : byte
    {
        OutOfService = 0,
        Admin = 1,
        Query = 2,
        AdminAndQuery = 3,
    }

    public enum Transport : byte
    {
        Udp = 0,
        Tcp = 1,
        Http = 2,
        Https = 3,
    }
}

/// <summary>One server of a site: id, 16-byte address (IPv4 mapped into the low 4 bytes), public key, interfaces.</summary>
public sealed record SiteServer(int ServerId, IPAddress Address, ReadOnlyMemory<byte> PublicKey, IReadOnlyList<SiteInterface> Interfaces)
{
    public IPEndPoint? EndPointFor(SiteInterface.Transport transport) =>
        Interfaces.FirstOrDefault(i => i.Protocol == transport && i.Service is SiteInterface.Services.Query or SiteInterface.Services.AdminAndQuery) is { } found
            ? new IPEndPoint(Address, found.Port)
            : null;
}

/// <summary>
/// HS_SITE data (RFC 3651 §3.2.2): a service site, its servers and how handles are spread over them (hash option).
/// Byte layout as CNRI's <c>Encoder.encodeSiteInfoRecord</c>:
/// <code>
///   Version Int2 | ProtocolVersion Int2 (major, minor) | SerialNumber Int2 | PrimaryMask Byte | HashOption Byte
///   HashFilter UTF8-String | Attributes Int4 count × (name, value) | NumOfServers Int4 × ServerRecord
///   ServerRecord: ServerID Int4 | Address 16 bytes | PublicKeyRecord Int4-length bytes | Int4 count × (Service Byte, Protocol Byte, Port Int4)
/// </code>
/// </summary>
public sealed record SiteInfo(
    ushort SerialNumber,
    IReadOnlyList<SiteServer> Servers,
    bool IsPrimary = true,
    bool IsMultiPrimary = false,
    SiteInfo.Hash HashOption = SiteInfo.Hash.ByAll,
    IReadOnlyDictionary<string, string>? Attributes = null,
    byte MajorProtocolVersion = 2,
    byte MinorProtocolVersion = 10,
    ushort DataFormatVersion = 1)
{
    public const int MaxServers = 256;
    public const int MaxAttributes = 256;

    public enum Hash : byte
    {
        ByPrefix = 0,
        BySuffix = 1,
        ByAll = 2,
    }

    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var w = new WireWriter(buffer);
        w.WriteUInt16(DataFormatVersion);
        w.WriteByte(MajorProtocolVersion);
        w.WriteByte(MinorProtocolVersion);
        w.WriteUInt16(SerialNumber);
        w.WriteByte((byte)((IsPrimary ? 0x80 : 0) | (IsMultiPrimary ? 0x40 : 0)));
        w.WriteByte((byte)HashOption);
        w.WriteInt32(0); // hash filter: empty
        var attributes = Attributes ?? new Dictionary<string, string>();
        w.WriteInt32(attributes.Count);
        foreach (var (name, value) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            w.WriteString(name);
            w.WriteString(value);
        }
        w.WriteInt32(Servers.Count);
        Span<byte> address = stackalloc byte[16];
        foreach (var server in Servers)
        {
            w.WriteInt32(server.ServerId);
            address.Clear();
            var ip = server.Address.GetAddressBytes();
            ip.CopyTo(address[(16 - ip.Length)..]);
            w.WriteRaw(address);
            w.WriteBytes(server.PublicKey.Span);
            w.WriteInt32(server.Interfaces.Count);
            foreach (var i in server.Interfaces)
            {
                w.WriteByte((byte)i.Service);
                w.WriteByte((byte)i.Protocol);
                w.WriteInt32(i.Port);
            }
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static SiteInfo Decode(ReadOnlySpan<byte> data)
    {
        var r = new WireReader(data);
        var format = r.ReadUInt16();
        var major = r.ReadByte();
        var minor = r.ReadByte();
        var serial = r.ReadUInt16();
        var mask = r.ReadByte();
        var hash = r.ReadByte();
        if (hash > 2)
            HandleProtocolException.Throw($"HS_SITE: unknown hash option {hash}.");
        r.ReadBytes(1024, "HS_SITE hash filter");
        var attributeCount = r.ReadCount(MaxAttributes, 8, "HS_SITE attributes");
        var attributes = new Dictionary<string, string>(attributeCount, StringComparer.Ordinal);
        for (var i = 0; i < attributeCount; i++)
            attributes[r.ReadString(4096, "HS_SITE attribute name")] = r.ReadString(65536, "HS_SITE attribute value");
        var serverCount = r.ReadCount(MaxServers, 28, "HS_SITE servers");
        var servers = new List<SiteServer>(serverCount);
        for (var s = 0; s < serverCount; s++)
        {
            var id = r.ReadInt32();
            var raw = r.ReadFixed(16);
            var address = IsIPv4Mapped(raw) ? new IPAddress(raw[12..]) : new IPAddress(raw);
            var key = r.ReadBytes(65536, "HS_SITE public key").ToArray();
            var interfaceCount = r.ReadCount(64, 6, "HS_SITE interfaces");
            var interfaces = new List<SiteInterface>(interfaceCount);
            for (var i = 0; i < interfaceCount; i++)
                interfaces.Add(new SiteInterface((SiteInterface.Services)r.ReadByte(), (SiteInterface.Transport)r.ReadByte(), r.ReadInt32()));
            servers.Add(new SiteServer(id, address, key, interfaces));
        }
        r.ExpectEnd("HS_SITE");
        return new SiteInfo(serial, servers, (mask & 0x80) != 0, (mask & 0x40) != 0, (Hash)hash, attributes, major, minor, format);
    }

    /// <summary>
    /// Which server of the site serves <paramref name="handle"/>: RFC 3652 §3.3 — MD5 over the upper-cased part named by the
    /// hash option, the last four bytes as a big-endian integer, absolute value (Java's, so int.MinValue stays negative),
    /// modulo the number of servers. Follows CNRI's <c>SiteInfo.getHandleHash</c>.
    /// </summary>
    public SiteServer ServerFor(string handle) => Servers[ServerIndex(handle, HashOption, Servers.Count)];

    public static int HandleHash(string handle, Hash option)
    {
        var slash = handle.IndexOf('/', StringComparison.Ordinal);
        var part = option switch
        {
            Hash.ByPrefix => slash < 0 ? HandleName.PrefixAuthority : handle[..slash],
            Hash.BySuffix => slash < 0 ? handle : handle[(slash + 1)..],
            _ => handle,
        };
        var bytes = System.Text.Encoding.UTF8.GetBytes(part);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] is >= (byte)'a' and <= (byte)'z')
                bytes[i] -= 32;
        }
#pragma warning disable CA5351 // MD5 is what the protocol specifies for spreading handles over servers; it protects nothing.
        var digest = System.Security.Cryptography.MD5.HashData(bytes);
#pragma warning restore CA5351
        var value = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(digest.AsSpan(digest.Length - 4));
        return value == int.MinValue ? value : Math.Abs(value);
    }

    public static int ServerIndex(string handle, Hash option, int serverCount)
    {
        var index = HandleHash(handle, option) % serverCount;
        return index < 0 ? index + serverCount : index;
    }

    private static bool IsIPv4Mapped(ReadOnlySpan<byte> raw) => raw[..12].IndexOfAnyExcept((byte)0) < 0;
}
