using System.Buffers.Binary;

namespace Fabrica.Identifiers.Dns;

/// <summary>One RRset encoded for the answer section: every record with the owner as a pointer to the question.</summary>
internal readonly record struct DnsRrSet(DnsType Type, ushort Count, byte[] Wire);

/// <summary>What a name answers: one entry per type, and the concatenation of all for ANY.</summary>
internal sealed record DnsAnswerSets(DnsRrSet[] Sets, DnsRrSet Any)
{
    public static readonly DnsAnswerSets Empty = new([], new DnsRrSet(DnsType.Any, 0, []));
}

/// <summary>A name of the <see cref="DnsRecordTable"/>: its encoded RRsets (read lock-free) and what the writer needs to maintain them.</summary>
internal sealed class DnsNode
{
    /// <summary>Each RRset of the name, and all of them back to back for QTYPE ANY; swapped whole by the writer.</summary>
    public volatile DnsAnswerSets Current = DnsAnswerSets.Empty;

    // Writer-side state, touched only under the table's lock.
    public int Children;

    public readonly SortedDictionary<string, List<DnsRecord>> Contributions = new(StringComparer.Ordinal);

    /// <summary>The largest RRset we encode: well inside a TCP message (65,535) with header, question and OPT.</summary>
    private const int MaxSetBytes = 60_000;

    /// <summary>
    /// Encodes each type's records in subject order. All records of an RRset get the set's smallest TTL (RFC 2181
    /// §5.2). Each record: pointer to the question name, TYPE, CLASS IN, TTL, RDLENGTH, RDATA (RFC 1035 §4.1.3).
    /// </summary>
    public void Compile()
    {
        var sets = new List<DnsRrSet>();
        var any = new List<byte>();
        var anyCount = 0;
        Span<byte> fixedPart = stackalloc byte[12];
        foreach (var group in Contributions.Values.SelectMany(r => r).GroupBy(r => r.Type))
        {
            var ttl = group.Min(r => r.Ttl);
            var wire = new List<byte>();
            var count = 0;
            foreach (var record in group)
            {
                var size = 12 + record.Data.Length;
                if (record.Data.Length > ushort.MaxValue || wire.Count + size > MaxSetBytes || count == ushort.MaxValue)
                    break;
                BinaryPrimitives.WriteUInt16BigEndian(fixedPart, DnsWire.PointerToQuestion);
                BinaryPrimitives.WriteUInt16BigEndian(fixedPart[2..], (ushort)record.Type);
                BinaryPrimitives.WriteUInt16BigEndian(fixedPart[4..], DnsWire.ClassIn);
                BinaryPrimitives.WriteUInt32BigEndian(fixedPart[6..], ttl);
                BinaryPrimitives.WriteUInt16BigEndian(fixedPart[10..], (ushort)record.Data.Length);
                wire.AddRange(fixedPart);
                wire.AddRange(record.Data);
                count++;
            }
            sets.Add(new DnsRrSet(group.Key, (ushort)count, [.. wire]));
            if (any.Count + wire.Count <= MaxSetBytes)
            {
                any.AddRange(wire);
                anyCount += count;
            }
        }
        Current = new DnsAnswerSets([.. sets], new DnsRrSet(DnsType.Any, (ushort)anyCount, [.. any]));
    }
}

/// <summary>Byte-wise equality of wire names, with a span lookup so that queries are answered without allocating.</summary>
internal sealed class WireNameComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly WireNameComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = new HashCode();
        hash.AddBytes(alternate);
        return hash.ToHashCode();
    }

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
}
