using BenchmarkDotNet.Attributes;
using Fabrica.Identifiers.Dns;

namespace Fabrica.Identifiers.Benchmarks;

/// <summary>
/// The DNS answer path without sockets: parse a query, look the name up among 10,000 ONS names, write the answer
/// (an ONS NAPTR hit with EDNS, an NXDOMAIN with the SOA). Goal: no allocation per query.
/// Run: dotnet run -c Release --project bench/Fabrica.Identifiers.Benchmarks -- --filter '*DnsResponder*' --job short
/// </summary>
[MemoryDiagnoser]
public class DnsResponderBenchmarks
{
    private readonly byte[] _response = new byte[1232];
    private DnsResponder _responder = null!;
    private byte[] _hit = [];
    private byte[] _miss = [];

    [GlobalSetup]
    public void Setup()
    {
        var options = new DnsServerOptions();
        var table = new DnsRecordTable(DnsZones.For(options, TimeProvider.System));
        byte[]? first = null;
        for (var i = 0; i < 10_000; i++)
        {
            var body = "00614141" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
            var owner = IdentifierDnsNames.Ons(body + IdentifierDnsNames.CheckDigit(body), options.OnsRoot)!;
            first ??= owner;
            table.Replace("s" + i, [DnsRecord.Naptr(owner, 86400, 0, 10, "U", "http://www.gs1.org/ons/html", DnsRecord.ReplaceAllWith("https://example.com/p/" + i))]);
        }
        _responder = new DnsResponder(table, options);
        _hit = Query(first!, withOpt: true);
        _miss = Query(IdentifierDnsNames.Ons("09506000134352", options.OnsRoot)!, withOpt: false);
    }

    /// <summary>A query for <paramref name="name"/> (wire form), type NAPTR, class IN, optionally with an OPT of 1232 bytes.</summary>
    private static byte[] Query(byte[] name, bool withOpt) =>
        [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, (byte)(withOpt ? 1 : 0), .. name, 0, 35, 0, 1,
         .. withOpt ? new byte[] { 0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0 } : []];

    [Benchmark]
    public int NaptrHit() => _responder.Respond(_hit, _response, DnsTransport.Udp, out _, out _);

    [Benchmark]
    public int NxDomain() => _responder.Respond(_miss, _response, DnsTransport.Udp, out _, out _);
}
