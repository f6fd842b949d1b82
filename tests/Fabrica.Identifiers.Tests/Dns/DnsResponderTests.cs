using Fabrica.Identifiers.Dns;
using Microsoft.Extensions.Time.Testing;
using static Fabrica.Identifiers.Tests.Dns.DnsTestMessages;

namespace Fabrica.Identifiers.Tests.Dns;

/// <summary>Answers of the responder, decoded with the test's own reader: rcodes, sections, truncation, EDNS.</summary>
public sealed class DnsResponderTests
{
    internal const string OnsName = "0.0.6.2.2.3.1.4.1.4.1.6.0.gtin.gs1.id.onsepc.com";
    private readonly DnsResponder _responder;

    public DnsResponderTests()
    {
        var options = new DnsServerOptions();
        var table = new DnsRecordTable(DnsZones.For(options, new FakeTimeProvider()));
        var ons = IdentifierDnsNames.Ons("00614141322602", options.OnsRoot)!;
        table.Replace("a", [DnsRecord.Naptr(ons, 300, 0, 10, "U", "http://www.gs1.org/ons/epcis", DnsRecord.ReplaceAllWith("https://epcis.example.com/"))]);
        var big = DnsName.Parse("big.hdl.fabrica.internal");
        table.Replace("b", [.. Enumerable.Range(0, 8).Select(i => DnsRecord.Txt(big, 60, new string((char)('a' + i), 100)))]);
        _responder = new DnsResponder(table, options);
    }

    private byte[] Ask(byte[] query, DnsTransport transport = DnsTransport.Udp)
    {
        var response = new byte[ushort.MaxValue];
        var length = _responder.Respond(query, response, transport, out _, out _);
        return response[..length];
    }

    [Fact]
    public void Ons_name_keeps_the_indicator_first_and_reverses_the_other_digits_without_the_check_digit()
    {
        Assert.Equal(OnsName + ".", DnsName.ToText(IdentifierDnsNames.Ons("00614141322602", "onsepc.com")!));
        Assert.Equal(OnsName + ".", DnsName.ToText(IdentifierDnsNames.Ons("0614141322602", "onsepc.com")!));
        Assert.Null(IdentifierDnsNames.Ons("00614141322603", "onsepc.com"));
        Assert.Null(IdentifierDnsNames.Ons("0061414132260X", "onsepc.com"));
    }

    [Fact]
    public void Ors_name_reverses_the_arcs_under_the_zone()
    {
        Assert.Equal("1.102.101818.156.16.2.oid-res.org.", DnsName.ToText(IdentifierDnsNames.Ors("2.16.156.101818.102.1", "oid-res.org")!));
        Assert.Equal("1.102.101818.156.16.2.oid-res.org.", DnsName.ToText(IdentifierDnsNames.Ors("urn:oid:2.16.156.101818.102.1", "oid-res.org")!));
        Assert.Null(IdentifierDnsNames.Ors("3.1", "oid-res.org"));
        Assert.Null(IdentifierDnsNames.Ors("1.40.1", "oid-res.org"));
        Assert.Null(IdentifierDnsNames.Ors("2.016", "oid-res.org"));
        Assert.Null(IdentifierDnsNames.Ors("2..1", "oid-res.org"));
    }

    [Fact]
    public void Naptr_query_is_answered_authoritatively_with_the_question_echoed_as_sent()
    {
        var answer = Ask(Query("0.0.6.2.2.3.1.4.1.4.1.6.0.GTIN.gs1.id.OnsEpc.com", DnsType.Naptr, id: 0xBEEF));
        Assert.Equal(0xBEEF, Id(answer));
        Assert.True(IsResponse(answer));
        Assert.True(Authoritative(answer));
        Assert.Equal(0, Rcode(answer));
        var query = Query("0.0.6.2.2.3.1.4.1.4.1.6.0.GTIN.gs1.id.OnsEpc.com", DnsType.Naptr, id: 0xBEEF);
        Assert.Equal(query.AsSpan(12).ToArray(), answer.AsSpan(12, query.Length - 12).ToArray());
        var record = Assert.Single(Records(answer));
        Assert.Equal((1, (ushort)35, 300u), (record.Section, record.Type, record.Ttl));
        Assert.Equal((0, 10, "U", "http://www.gs1.org/ons/epcis", "!^.*$!https://epcis.example.com/!"), Naptr(record.Data));
    }

    [Fact]
    public void Unknown_name_in_a_zone_is_NXDOMAIN_with_the_zone_SOA_in_authority()
    {
        var answer = Ask(Query("9.9.9.gtin.gs1.id.onsepc.com", DnsType.Naptr));
        Assert.Equal(3, Rcode(answer));
        Assert.True(Authoritative(answer));
        var soa = Assert.Single(Records(answer));
        Assert.Equal((2, (ushort)6, 60u), (soa.Section, soa.Type, soa.Ttl));
    }

    [Fact]
    public void Existing_name_without_the_type_and_empty_non_terminals_are_NODATA()
    {
        foreach (var query in new[] { Query(OnsName, DnsType.Txt), Query("gtin.gs1.id.onsepc.com", DnsType.Naptr), Query("6.2.2.3.1.4.1.4.1.6.0.gtin.gs1.id.onsepc.com", DnsType.Naptr) })
        {
            var answer = Ask(query);
            Assert.Equal(0, Rcode(answer));
            Assert.Equal(0, Count(answer, 1));
            Assert.Equal(6, Assert.Single(Records(answer)).Type);
        }
    }

    [Fact]
    public void Names_outside_the_zones_are_refused_without_authority()
    {
        var answer = Ask(Query("example.com", DnsType.Naptr));
        Assert.Equal(5, Rcode(answer));
        Assert.False(Authoritative(answer));
        Assert.Empty(Records(answer));
    }

    [Fact]
    public void Soa_at_the_apex_is_an_answer()
    {
        var answer = Ask(Query("oid-res.org", DnsType.Soa));
        Assert.Equal((1, (ushort)6), Assert.Single(Records(answer)) is var r ? (r.Section, r.Type) : default);
    }

    [Fact]
    public void Over_512_bytes_without_EDNS_is_truncated_and_complete_over_TCP_or_with_a_large_EDNS_size()
    {
        var udp = Ask(Query("big.hdl.fabrica.internal", DnsType.Txt));
        Assert.True(Truncated(udp));
        Assert.Equal(0, Count(udp, 1));
        Assert.True(udp.Length <= 512);

        var tcp = Ask(Query("big.hdl.fabrica.internal", DnsType.Txt), DnsTransport.Tcp);
        Assert.False(Truncated(tcp));
        Assert.Equal(8, Records(tcp).Count);

        var edns = Ask(Query("big.hdl.fabrica.internal", DnsType.Txt, ednsSize: 4096));
        Assert.False(Truncated(edns));
        Assert.Equal(9, Records(edns).Count); // 8 TXT + OPT
        Assert.Equal(41, Records(edns)[^1].Type);
        Assert.True(edns.Length <= 1232);

        var smallEdns = Ask(Query("big.hdl.fabrica.internal", DnsType.Txt, ednsSize: 600));
        Assert.True(Truncated(smallEdns));
        Assert.Equal(41, Assert.Single(Records(smallEdns)).Type);
    }

    [Fact]
    public void Edns_version_above_zero_gets_BADVERS_in_the_OPT()
    {
        var answer = Ask(Query(OnsName, DnsType.Naptr, ednsSize: 1232, ednsVersion: 1));
        Assert.Equal(0, Rcode(answer));
        var opt = Assert.Single(Records(answer));
        Assert.Equal(41, opt.Type);
        Assert.Equal(1u << 24, opt.Ttl); // extended RCODE 1 → BADVERS (16)
    }

    [Fact]
    public void Other_opcodes_get_NOTIMP_and_responses_are_never_answered()
    {
        var notify = Query(OnsName, DnsType.Soa, flags: 4 << 11);
        Assert.Equal(4, Rcode(Ask(notify)));
        Assert.Empty(Ask(Query(OnsName, DnsType.Naptr, flags: 0x8000)));
    }

    [Fact]
    public void Zone_transfer_and_other_classes_are_refused()
    {
        Assert.Equal(5, Rcode(Ask(Query(OnsName, (DnsType)252))));
        Assert.Equal(5, Rcode(Ask(Query(OnsName, DnsType.Naptr, @class: 3))));
    }
}
