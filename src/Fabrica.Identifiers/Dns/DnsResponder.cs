using System.Buffers.Binary;

namespace Fabrica.Identifiers.Dns;

/// <summary>How a query arrived: the transport decides the size limit of the answer (RFC 1035 §4.2, RFC 6891 §6.2.3).</summary>
public enum DnsTransport : byte
{
    Udp,
    Tcp,
}

/// <summary>
/// Turns one query message into one answer message, synchronously and without allocating: parse, look up in the
/// <see cref="DnsRecordTable"/>, then write header, the question as sent, answers, the zone's SOA for negative
/// answers (RFC 2308 §2), and OPT when the query had one (RFC 6891 §6.1.1). An answer too large for the transport is
/// sent truncated instead (TC set, no records, RFC 2181 §9), so the client retries over TCP.
/// </summary>
public sealed class DnsResponder(DnsRecordTable table, DnsServerOptions options)
{
    public DnsRecordTable Table => table;

    /// <summary>
    /// Writes the answer to <paramref name="message"/> into <paramref name="response"/> (at least 512 bytes; 65,535
    /// for TCP) and returns its length, or 0 when the message deserves no answer. <paramref name="code"/> is the
    /// response code sent (for metrics), and <paramref name="status"/> what the parser made of the message. With
    /// <paramref name="truncate"/> the answer is sent empty with TC set, whatever its size.
    /// </summary>
    public int Respond(ReadOnlySpan<byte> message, Span<byte> response, DnsTransport transport, out DnsResponseCode code, out DnsQueryStatus status, bool truncate = false)
    {
        Span<byte> key = stackalloc byte[DnsWire.MaxNameLength + 1];
        var query = DnsQuery.Parse(message, key);
        status = query.Status;
        switch (query.Status)
        {
            case DnsQueryStatus.Drop:
                code = DnsResponseCode.NoError;
                return 0;
            case DnsQueryStatus.FormErr:
                code = DnsResponseCode.FormErr;
                return WriteHeaderOnly(response, query, code);
            case DnsQueryStatus.NotImp:
                code = DnsResponseCode.NotImp;
                return WriteHeaderOnly(response, query, code);
        }
        var limit = transport == DnsTransport.Tcp ? ushort.MaxValue
            : query.HasOpt ? Math.Clamp((int)query.UdpPayloadSize, DnsWire.ClassicUdpSize, options.MaxUdpPayload)
            : DnsWire.ClassicUdpSize;
        // A forced truncation (rate limit) sends header, question and OPT only: sending nothing would look like loss.
        limit = truncate ? 0 : Math.Min(limit, response.Length);
        if (query.Status == DnsQueryStatus.BadVers)
        {
            // RFC 6891 §6.1.3: BADVERS is 16, i.e. 0 in the header and 1 in the OPT's upper eight bits.
            code = DnsResponseCode.NoError;
            return WriteAnswer(response, message, query, default, 0, limit, extendedCode: 1);
        }
        DnsLookup lookup;
        if (query.Class is not (DnsWire.ClassIn or DnsWire.ClassAny) || IsUnsupportedMetaType(query.Type))
            lookup = new DnsLookup(DnsResponseCode.Refused, null, null, 0);
        else
            lookup = table.Find(key[..query.NameLength], query.Type);
        code = lookup.Code;
        return WriteAnswer(response, message, query, lookup, (ushort)code, limit, extendedCode: 0);
    }

    /// <summary>Zone transfers (AXFR 252, IXFR 251) and the obsolete MAILA/MAILB are not offered: REFUSED.</summary>
    private static bool IsUnsupportedMetaType(DnsType type) => (ushort)type is 251 or 252 or 253 or 254;

    private int WriteAnswer(Span<byte> response, ReadOnlySpan<byte> message, DnsQuery query, DnsLookup lookup, ushort rcode, int limit, byte extendedCode)
    {
        var questionLength = query.QuestionEnd - DnsWire.HeaderSize;
        var answers = lookup.Answers.AsSpan();
        var negative = lookup.Zone is not null && lookup.AnswerCount == 0;
        var authorityLength = negative ? 2 + lookup.Zone!.NegativeSoaTail.Length : 0;
        var optLength = query.HasOpt ? DnsWire.OptFixedSize : 0;
        var full = DnsWire.HeaderSize + questionLength + answers.Length + authorityLength + optLength;
        var truncated = full > limit;
        if (truncated)
        {
            answers = default;
            authorityLength = 0;
        }
        var flags = (ushort)(DnsWire.FlagQr | (query.Flags & (DnsWire.FlagRd | DnsWire.FlagCd)) | (rcode & 0xF));
        if (lookup.Zone is not null)
            flags |= DnsWire.FlagAa;
        if (truncated)
            flags |= DnsWire.FlagTc;
        BinaryPrimitives.WriteUInt16BigEndian(response, query.Id);
        BinaryPrimitives.WriteUInt16BigEndian(response[2..], flags);
        BinaryPrimitives.WriteUInt16BigEndian(response[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(response[6..], truncated ? (ushort)0 : lookup.AnswerCount);
        BinaryPrimitives.WriteUInt16BigEndian(response[8..], authorityLength > 0 ? (ushort)1 : (ushort)0);
        BinaryPrimitives.WriteUInt16BigEndian(response[10..], query.HasOpt ? (ushort)1 : (ushort)0);
        var position = DnsWire.HeaderSize;
        message[DnsWire.HeaderSize..query.QuestionEnd].CopyTo(response[position..]);
        position += questionLength;
        answers.CopyTo(response[position..]);
        position += answers.Length;
        if (authorityLength > 0)
        {
            // The SOA's owner is the zone apex, which ends the question name: point at it (RFC 1035 §4.1.4).
            var apexOffset = DnsWire.HeaderSize + query.NameLength - lookup.Zone!.Apex.Length;
            BinaryPrimitives.WriteUInt16BigEndian(response[position..], (ushort)(0xC000 | apexOffset));
            lookup.Zone.NegativeSoaTail.CopyTo(response[(position + 2)..]);
            position += authorityLength;
        }
        if (query.HasOpt)
            position += WriteOpt(response[position..], (ushort)options.MaxUdpPayload, extendedCode);
        return position;
    }

    /// <summary>OPT (RFC 6891 §6.1.2): root owner, TYPE 41, CLASS = our UDP payload size, TTL = ext. RCODE | version 0 | flags 0, no options.</summary>
    private static int WriteOpt(Span<byte> span, ushort payloadSize, byte extendedCode)
    {
        span[0] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)DnsType.Opt);
        BinaryPrimitives.WriteUInt16BigEndian(span[3..], payloadSize);
        span[5] = extendedCode;
        span[6] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(span[7..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(span[9..], 0);
        return DnsWire.OptFixedSize;
    }

    /// <summary>FORMERR and NOTIMP: the header alone, counts zero, because the question could not be trusted (RFC 1035 §4.1.1).</summary>
    private static int WriteHeaderOnly(Span<byte> response, DnsQuery query, DnsResponseCode code)
    {
        response[..DnsWire.HeaderSize].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(response, query.Id);
        var flags = (ushort)(DnsWire.FlagQr | (query.Flags & (DnsWire.OpcodeMask | DnsWire.FlagRd)) | (ushort)code);
        BinaryPrimitives.WriteUInt16BigEndian(response[2..], flags);
        return DnsWire.HeaderSize;
    }
}
