namespace Fabrica.Identifiers.Dns;

/// <summary>Resource record types this server answers (RFC 1035 §3.2.2, RFC 3403 NAPTR, RFC 7553 URI, RFC 6891 OPT).</summary>
public enum DnsType : ushort
{
    Soa = 6,
    Txt = 16,
    Naptr = 35,
    Opt = 41,
    Uri = 256,

    /// <summary>QTYPE * (RFC 1035 §3.2.3): every RRset of the name.</summary>
    Any = 255,
}

/// <summary>Response codes (RFC 1035 §4.1.1; BADVERS is extended, RFC 6891 §6.1.3).</summary>
public enum DnsResponseCode : byte
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NxDomain = 3,
    NotImp = 4,
    Refused = 5,
}

/// <summary>Wire constants of RFC 1035 §4.1 and RFC 6891.</summary>
internal static class DnsWire
{
    public const int HeaderSize = 12;

    /// <summary>RFC 1035 §2.3.4: a name is at most 255 octets on the wire, a label at most 63.</summary>
    public const int MaxNameLength = 255;

    public const int MaxLabelLength = 63;

    /// <summary>RFC 1035 §2.3.4: a UDP message without EDNS is at most 512 octets.</summary>
    public const int ClassicUdpSize = 512;

    public const ushort ClassIn = 1;
    public const ushort ClassAny = 255;

    // Header flag bits of the second 16-bit word (RFC 1035 §4.1.1).
    public const ushort FlagQr = 0x8000;
    public const ushort FlagAa = 0x0400;
    public const ushort FlagTc = 0x0200;
    public const ushort FlagRd = 0x0100;
    public const ushort FlagCd = 0x0010;
    public const int OpcodeShift = 11;
    public const ushort OpcodeMask = 0x7800;

    /// <summary>The OPT pseudo-record's fixed part after its root owner name: type, class (UDP size), TTL (ext. rcode, version, flags), rdlength.</summary>
    public const int OptFixedSize = 1 + 2 + 2 + 4 + 2;

    /// <summary>A compression pointer to the question name, which always starts right after the header (RFC 1035 §4.1.4).</summary>
    public const ushort PointerToQuestion = 0xC000 | HeaderSize;
}
