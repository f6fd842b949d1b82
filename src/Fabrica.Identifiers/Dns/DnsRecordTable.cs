using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace Fabrica.Identifiers.Dns;

/// <summary>A zone this server is authoritative for: its apex and the SOA that negative answers carry (RFC 2308 §3).</summary>
public sealed class DnsZone
{
    internal DnsZone(byte[] apex, DnsRecord soa, uint negativeTtl)
    {
        Apex = apex;
        Soa = soa;
        // Owner, then TYPE, CLASS, TTL, RDLENGTH, RDATA; the owner is written per answer as a pointer into the question.
        var tail = new byte[10 + soa.Data.Length];
        BinaryPrimitives.WriteUInt16BigEndian(tail, (ushort)DnsType.Soa);
        BinaryPrimitives.WriteUInt16BigEndian(tail.AsSpan(2), DnsWire.ClassIn);
        BinaryPrimitives.WriteUInt32BigEndian(tail.AsSpan(4), Math.Min(soa.Ttl, negativeTtl));
        BinaryPrimitives.WriteUInt16BigEndian(tail.AsSpan(8), (ushort)soa.Data.Length);
        soa.Data.CopyTo(tail, 10);
        NegativeSoaTail = tail;
    }

    public byte[] Apex { get; }

    public DnsRecord Soa { get; }

    /// <summary>The authority-section SOA without its owner: TTL = min(SOA TTL, MINIMUM) as RFC 2308 §3 asks.</summary>
    internal byte[] NegativeSoaTail { get; }

    public override string ToString() => DnsName.ToText(Apex);
}

/// <summary>The outcome of looking a question up: an answer, NODATA (no answers, NOERROR) or NXDOMAIN, or REFUSED outside our zones.</summary>
internal readonly record struct DnsLookup(DnsResponseCode Code, DnsZone? Zone, byte[]? Answers, ushort AnswerCount);

/// <summary>
/// Every name this server answers for, in memory, with each RRset already encoded as it goes on the wire (owner as a
/// pointer to the question, RFC 1035 §4.1.4), so an answer is a header, a copy of the question and one block copy.
/// Names are keyed by their lower-case wire form; a lookup takes the span the parser wrote, without allocating.
/// Writers (the record source's changes) are serialised; readers never lock: a node's RRsets are swapped whole.
/// A name exists (NODATA rather than NXDOMAIN, RFC 8020) when it owns records or has a descendant that does.
/// </summary>
public sealed partial class DnsRecordTable
{
    private readonly ConcurrentDictionary<byte[], DnsNode> _nodes = new(WireNameComparer.Instance);
    private readonly ConcurrentDictionary<byte[], DnsNode>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly Dictionary<string, List<byte[]>> _ownersBySubject = new(StringComparer.Ordinal);
    private readonly Lock _writer = new();
    private readonly DnsZone[] _zones;

    public DnsRecordTable(IEnumerable<DnsZone> zones)
    {
        _lookup = _nodes.GetAlternateLookup<ReadOnlySpan<byte>>();
        _zones = [.. zones.OrderByDescending(z => z.Apex.Length)];
        foreach (var zone in _zones)
            Replace("\0soa:" + zone, [zone.Soa]);
    }

    public IReadOnlyList<DnsZone> Zones => _zones;

    /// <summary>Names held (owners and the empty names above them).</summary>
    public int NameCount => _nodes.Count;

    /// <summary>Looks up a lower-case wire name (as <see cref="DnsQuery.Parse"/> writes it).</summary>
    internal DnsLookup Find(ReadOnlySpan<byte> name, DnsType type)
    {
        DnsZone? zone = null;
        foreach (var candidate in _zones)
        {
            if (DnsName.IsAtOrBelow(name, candidate.Apex))
            {
                zone = candidate;
                break;
            }
        }
        if (zone is null)
            return new DnsLookup(DnsResponseCode.Refused, null, null, 0);
        if (!_lookup.TryGetValue(name, out var node))
            return new DnsLookup(DnsResponseCode.NxDomain, zone, null, 0);
        var current = node.Current;
        if (type == DnsType.Any)
            return new DnsLookup(DnsResponseCode.NoError, zone, current.Any.Wire, current.Any.Count);
        foreach (var set in current.Sets)
        {
            if (set.Type == type)
                return new DnsLookup(DnsResponseCode.NoError, zone, set.Wire, set.Count);
        }
        return new DnsLookup(DnsResponseCode.NoError, zone, null, 0);
    }

    /// <summary>
    /// Sets the records one subject (for example a handle) contributes, replacing what it contributed before; an
    /// empty list removes the subject. Records whose owner is outside every zone are ignored.
    /// </summary>
    public void Replace(string subject, IReadOnlyList<DnsRecord> records)
    {
        lock (_writer)
        {
            if (_ownersBySubject.Remove(subject, out var oldOwners))
            {
                foreach (var owner in oldOwners)
                    RemoveContribution(owner, subject);
            }
            var owners = new List<byte[]>();
            foreach (var group in records.Where(r => _zones.Any(z => DnsName.IsAtOrBelow(r.Owner, z.Apex))).GroupBy(r => r.Owner, WireNameComparer.Instance))
            {
                AddContribution(group.Key, subject, [.. group]);
                owners.Add(group.Key);
            }
            if (owners.Count > 0)
                _ownersBySubject[subject] = owners;
        }
    }

    private void AddContribution(byte[] owner, string subject, List<DnsRecord> records)
    {
        if (!_nodes.TryGetValue(owner, out var node))
        {
            node = new DnsNode();
            _nodes[owner] = node;
            AddAncestors(owner);
        }
        node.Contributions[subject] = records;
        node.Compile();
    }

    /// <summary>Creates the empty names between a new owner and its zone apex, so that they answer NODATA.</summary>
    private void AddAncestors(byte[] owner)
    {
        ReadOnlySpan<byte> name = owner;
        while (!IsApex(name) && name.Length > 1)
        {
            name = DnsName.Parent(name);
            if (_lookup.TryGetValue(name, out var parent))
            {
                parent.Children++;
                return;
            }
            var created = new DnsNode { Children = 1 };
            _nodes[name.ToArray()] = created;
        }
    }

    private void RemoveContribution(byte[] owner, string subject)
    {
        if (!_nodes.TryGetValue(owner, out var node) || !node.Contributions.Remove(subject))
            return;
        node.Compile();
        ReadOnlySpan<byte> name = owner;
        // Remove the node and then every ancestor left with neither records nor children.
        while (node.Contributions.Count == 0 && node.Children == 0 && !IsApex(name))
        {
            _lookup.TryRemove(name, out _, out _);
            name = DnsName.Parent(name);
            if (!_lookup.TryGetValue(name, out node!))
                return;
            node.Children--;
        }
    }

    private bool IsApex(ReadOnlySpan<byte> name)
    {
        foreach (var zone in _zones)
        {
            if (name.SequenceEqual(zone.Apex))
                return true;
        }
        return false;
    }
}
