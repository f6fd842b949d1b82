using Fabrica.Identifiers.DigitalLink;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Store;

namespace Fabrica.Identifiers.Dns;

/// <summary>
/// DNS records from the handle store. Only public values are published (DNS has no reader identity):
/// <list type="bullet">
/// <item>the handle's own name gets a URI record (RFC 7553) per URL value and a TXT record <c>TYPE=data</c> per
/// public text value other than the HS_ system types;</item>
/// <item>each alternate identifier of the record (<see cref="DnsAlternateIdentifiers"/>) gets NAPTR records: a GTIN
/// under its ONS name, an OID under its ORS name, one per URL value (service from the options) and one per value of
/// type <c>NAPTR</c>, whose data is "SERVICE URI".</item>
/// </list>
/// </summary>
public sealed class HandleDnsRecordSource : IDnsRecordSource
{
    /// <summary>Handle value type whose data is "SERVICE URI": a NAPTR record with that service, for ONS/ORS names.</summary>
    public const string NaptrValueType = "NAPTR";

    private readonly HandleStore _store;
    private readonly DnsServerOptions _options;
    private readonly Func<HandleRecord, IEnumerable<AlternateIdentifier>> _alternates;

    public HandleDnsRecordSource(HandleStore store, DnsServerOptions options, Func<HandleRecord, IEnumerable<AlternateIdentifier>>? alternates = null)
    {
        _store = store;
        _options = options;
        _alternates = alternates ?? DnsAlternateIdentifiers.Of;
        store.Changed += (handle, record) => Changed?.Invoke(new DnsSubject(handle.ToString(), record is null ? [] : RecordsOf(record)));
    }

    public event Action<DnsSubject>? Changed;

    public IEnumerable<DnsSubject> Snapshot() => _store.Records.Select(r => new DnsSubject(r.Handle.ToString(), RecordsOf(r)));

    /// <summary>The DNS records one handle record yields.</summary>
    public IReadOnlyList<DnsRecord> RecordsOf(HandleRecord record)
    {
        var values = record.Values.Where(v => v.IsPublicReadable).OrderBy(v => v.Index).ToList();
        var records = new List<DnsRecord>();
        var urls = values.Where(v => HandleTypes.Matches(HandleTypes.Url, v.Type)).ToList();
        if (IdentifierDnsNames.Handle(record.Handle, _options.HandleZone) is { } own)
        {
            foreach (var url in urls)
                records.Add(DnsRecord.Uri(own, Ttl(url), 10, 1, url.DataText));
            foreach (var value in values.Where(v => !v.Type.StartsWith("HS_", StringComparison.OrdinalIgnoreCase)))
                records.Add(DnsRecord.Txt(own, Ttl(value), value.Type + "=" + value.DataText));
        }
        foreach (var alternate in _alternates(record))
        {
            var (owner, service) = alternate.Scheme switch
            {
                AlternateScheme.Gtin => (IdentifierDnsNames.Ons(alternate.Value, _options.OnsRoot), _options.OnsService),
                AlternateScheme.Oid => (IdentifierDnsNames.Ors(alternate.Value, _options.OrsZone), _options.OrsService),
                _ => (null, ""),
            };
            if (owner is null)
                continue;
            ushort preference = 10;
            foreach (var value in values)
            {
                string? uri = null;
                var valueService = service;
                if (HandleTypes.Matches(HandleTypes.Url, value.Type))
                    uri = value.DataText;
                else if (HandleTypes.Matches(NaptrValueType, value.Type) && value.DataText.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries) is [var s, var u])
                    (valueService, uri) = (s, u.Trim());
                else if (HandleTypes.Matches(Gs1Link.ValueType, value.Type) && Gs1Link.TryParse(value.Data.Span, out var link, out _))
                    (valueService, uri) = (link.IsDefault ? service : Gs1Link.LinkTypeUri(link.LinkType), link.Href);
                if (uri is null || valueService.Length > 255 || uri.Length > 240)
                    continue;
                // ONS 2.0.1 §7: ORDER 0, flag "U" (the result is a URI), REGEXP replacing the whole key, REPLACEMENT ".".
                records.Add(DnsRecord.Naptr(owner, Ttl(value), 0, preference, "U", valueService, DnsRecord.ReplaceAllWith(uri)));
                preference += 10;
            }
        }
        return records;
    }

    private uint Ttl(HandleValue value) =>
        value.TtlType == TtlType.Relative && value.Ttl > 0 ? Math.Min((uint)value.Ttl, _options.MaxTtl) : _options.NegativeTtl;
}
