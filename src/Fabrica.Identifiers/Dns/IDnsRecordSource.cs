namespace Fabrica.Identifiers.Dns;

/// <summary>The records one subject (a handle record, say) puts into DNS; none = the subject is gone.</summary>
public sealed record DnsSubject(string Key, IReadOnlyList<DnsRecord> Records);

/// <summary>
/// Where the DNS front end gets its records: everything at start, then each change. The server knows nothing of
/// handles or GS1; the source decides which names and records a subject yields (ONS NAPTR for a GTIN, ORS NAPTR for
/// an OID, TXT/URI for a handle) and what is public.
/// </summary>
public interface IDnsRecordSource
{
    /// <summary>Every subject with its current records.</summary>
    IEnumerable<DnsSubject> Snapshot();

    /// <summary>Raised after a subject's records changed (an empty list when it was removed).</summary>
    event Action<DnsSubject>? Changed;
}

/// <summary>Fills a <see cref="DnsRecordTable"/> from a source and keeps it current.</summary>
public static class DnsRecordTableLoading
{
    /// <summary>Subscribes first, then loads the snapshot, so no change between the two is lost (replacing a subject twice is harmless).</summary>
    public static DnsRecordTable Follow(this DnsRecordTable table, IDnsRecordSource source)
    {
        source.Changed += subject => table.Replace(subject.Key, subject.Records);
        foreach (var subject in source.Snapshot())
            table.Replace(subject.Key, subject.Records);
        return table;
    }
}
