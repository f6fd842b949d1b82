using System.Buffers.Binary;

namespace Fabrica.Identifiers.Dns;

/// <summary>What the parser concluded about a message: answer it, or which error (if any) to send back.</summary>
public enum DnsQueryStatus : byte
{
    /// <summary>A well-formed standard query with one question.</summary>
    Ok,

    /// <summary>Not worth an answer: shorter than a header, or a response (QR set), which must never be answered (loops).</summary>
    Drop,

    /// <summary>A query that breaks RFC 1035/6891 framing: answer FORMERR with the header only.</summary>
    FormErr,

    /// <summary>An opcode other than QUERY (RFC 1035 §4.1.1): NOTIMP.</summary>
    NotImp,

    /// <summary>An EDNS version above 0 (RFC 6891 §6.1.3): BADVERS.</summary>
    BadVers,
}

/// <summary>
/// One parsed query (RFC 1035 §4.1): the header fields the answer echoes, where the question ends, and the EDNS(0)
/// OPT record if there was one (RFC 6891 §6.1). The question name itself is not copied: the answer copies the
/// question bytes as sent (keeping their case, which 0x20-randomising resolvers check) and the lookup uses the
/// lower-cased copy the parser wrote into the caller's buffer.
/// </summary>
public readonly record struct DnsQuery(
    DnsQueryStatus Status,
    ushort Id,
    ushort Flags,
    int NameLength,
    DnsType Type,
    ushort Class,
    bool HasOpt,
    ushort UdpPayloadSize,
    byte EdnsVersion)
{
    /// <summary>Header plus question: the bytes the answer copies verbatim.</summary>
    public int QuestionEnd => DnsWire.HeaderSize + NameLength + 4;

    public bool RecursionDesired => (Flags & DnsWire.FlagRd) != 0;

    public int Opcode => (Flags & DnsWire.OpcodeMask) >> DnsWire.OpcodeShift;

    /// <summary>
    /// Parses <paramref name="message"/> and writes the question name, lower-cased, to <paramref name="key"/> (at least
    /// 255 bytes). Every length read from the wire is checked against what remains before it is used; nothing throws.
    /// </summary>
    public static DnsQuery Parse(ReadOnlySpan<byte> message, Span<byte> key)
    {
        // Header (RFC 1035 §4.1.1): ID, flags, QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT, 16 bits each.
        if (message.Length < DnsWire.HeaderSize)
            return default(DnsQuery) with { Status = DnsQueryStatus.Drop };
        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var header = new DnsQuery(DnsQueryStatus.FormErr, id, flags, 0, 0, 0, false, 0, 0);
        if ((flags & DnsWire.FlagQr) != 0)
            return header with { Status = DnsQueryStatus.Drop };
        if (header.Opcode != 0)
            return header with { Status = DnsQueryStatus.NotImp };
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        var authority = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        var additional = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (questions != 1 || answers != 0 || authority != 0 || additional > 1)
            return header;

        var nameLength = ReadQuestionName(message[DnsWire.HeaderSize..], key);
        if (nameLength < 0)
            return header;
        var position = DnsWire.HeaderSize + nameLength;
        if (message.Length - position < 4)
            return header;
        var type = (DnsType)BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
        var @class = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 2)..]);
        position += 4;
        // A question may not ask for the OPT pseudo-type (RFC 6891 §6.1.1).
        if (type == DnsType.Opt)
            return header;
        var query = header with { Status = DnsQueryStatus.Ok, NameLength = nameLength, Type = type, Class = @class };
        if (additional == 0)
            return position == message.Length ? query : header;
        return ReadOpt(message[position..], query, header);
    }

    /// <summary>RFC 1035 §3.1/§4.1.2: labels of 1–63 bytes, at most 255 in all, no compression pointer (nothing precedes the question to point at).</summary>
    private static int ReadQuestionName(ReadOnlySpan<byte> span, Span<byte> key)
    {
        var position = 0;
        while (true)
        {
            if (position >= span.Length || position >= DnsWire.MaxNameLength)
                return -1;
            int length = span[position];
            if (length == 0)
            {
                key[position] = 0;
                return position + 1;
            }
            // 0b11xxxxxx is a pointer, 0b01/0b10 are the retired extended label types (RFC 6891 §5): all malformed here.
            if (length > DnsWire.MaxLabelLength || position + 1 + length >= DnsWire.MaxNameLength || position + 1 + length >= span.Length)
                return -1;
            key[position] = (byte)length;
            for (var i = 1; i <= length; i++)
                key[position + i] = DnsName.ToLower(span[position + i]);
            position += 1 + length;
        }
    }

    /// <summary>
    /// The one additional record a query may carry: OPT (RFC 6891 §6.1.2) with the root as owner, CLASS = the
    /// requester's UDP payload size, TTL = extended RCODE, VERSION and flags, then options as {code, length, data}.
    /// </summary>
    private static DnsQuery ReadOpt(ReadOnlySpan<byte> span, DnsQuery query, DnsQuery formErr)
    {
        if (span.Length < DnsWire.OptFixedSize || span[0] != 0)
            return formErr;
        if (BinaryPrimitives.ReadUInt16BigEndian(span[1..]) != (ushort)DnsType.Opt)
            return formErr;
        var payload = BinaryPrimitives.ReadUInt16BigEndian(span[3..]);
        var version = span[6];
        var dataLength = BinaryPrimitives.ReadUInt16BigEndian(span[9..]);
        var data = span[DnsWire.OptFixedSize..];
        if (data.Length != dataLength)
            return formErr;
        while (data.Length > 0)
        {
            if (data.Length < 4)
                return formErr;
            var optionLength = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
            if (data.Length - 4 < optionLength)
                return formErr;
            data = data[(4 + optionLength)..];
        }
        var withOpt = query with { HasOpt = true, UdpPayloadSize = payload, EdnsVersion = version };
        return version == 0 ? withOpt : withOpt with { Status = DnsQueryStatus.BadVers };
    }
}
