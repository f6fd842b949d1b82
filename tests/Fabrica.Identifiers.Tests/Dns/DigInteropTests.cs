using System.Diagnostics;
using Fabrica.Identifiers.Model;

namespace Fabrica.Identifiers.Tests.Dns;

/// <summary>
/// ISC's <c>dig</c> (Debian bind9-dnsutils, tests/peers/dns/apt.txt) against the server over UDP and TCP: ONS and ORS
/// NAPTR, handle TXT/URI, NXDOMAIN, NODATA, truncation with dig's own retry over TCP, and changes made to the store
/// while the server runs.
/// </summary>
public sealed class DigInteropTests : IAsyncLifetime
{
    private DnsServerFixture _fixture = null!;

    public async Task InitializeAsync() => _fixture = await DnsServerFixture.StartAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    private async Task<string> DigAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dig") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "@127.0.0.1", "-p", _fixture.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "+norec", "+time=5", "+tries=2" }.Concat(arguments))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dig did not start (install tests/peers/dns/apt.txt)");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dig exited {process.ExitCode}: {await error}{await output}");
        // dig aligns columns with tabs or spaces; compare with single spaces.
        return System.Text.RegularExpressions.Regex.Replace(await output, "[ \t]+", " ");
    }

    private static string Status(string output) =>
        output.Split('\n').Single(l => l.Contains("->>HEADER<<-", StringComparison.Ordinal)).Split("status: ")[1].Split(',')[0];

    [Theory]
    [InlineData("")]
    [InlineData("+tcp")]
    public async Task Ons_NAPTR_for_the_GTIN_resolves_to_the_public_URLs(string transport)
    {
        var output = await DigAsync(transport == "" ? "+notcp" : transport, "NAPTR", "0.0.6.2.2.3.1.4.1.4.1.6.0.gtin.gs1.id.onsepc.com");
        Assert.Equal("NOERROR", Status(output));
        Assert.Contains("flags: qr aa;", output, StringComparison.Ordinal);
        Assert.Contains("NAPTR 0 10 \"U\" \"http://www.gs1.org/ons/html\" \"!^.*$!https://example.com/pump/1!\" .", output, StringComparison.Ordinal);
        Assert.Contains("NAPTR 0 20 \"U\" \"http://www.gs1.org/ons/epcis\" \"!^.*$!https://epcis.example.com/!\" .", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_SGTIN_alternate_identifier_is_reachable_under_its_GTINs_ONS_name()
    {
        // ALT_ID urn:epc:id:sgtin:0614141.012345.62852 → GTIN 00614141123452 (check digit 2, dropped in the name).
        var output = await DigAsync("+short", "NAPTR", "0.5.4.3.2.1.1.4.1.4.1.6.0.gtin.gs1.id.onsepc.com");
        Assert.Contains("\"!^.*$!https://example.com/pump/1!\"", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("+tcp")]
    public async Task Ors_NAPTR_for_the_OID_resolves(string transport)
    {
        var output = await DigAsync(transport == "" ? "+notcp" : transport, "+short", "NAPTR", DnsServerFixture.OrsName);
        Assert.Contains("0 10 \"U\" \"RINF\" \"!^.*$!https://example.com/pump/1!\" .", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_TXT_and_URI_carry_only_public_values()
    {
        var txt = await DigAsync("+short", "TXT", "PUMP-0001.12.100.88.hdl.fabrica.internal");
        Assert.Contains("\"URL=https://example.com/pump/1\"", txt, StringComparison.Ordinal);
        Assert.Contains("\"manufacturer=ACME Pumps\"", txt, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", txt, StringComparison.Ordinal);
        Assert.DoesNotContain("09506000134352", txt, StringComparison.Ordinal);
        var uri = await DigAsync("+short", "TYPE256", DnsServerFixture.PumpName);
        Assert.Contains("https://example.com/pump/1", uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restricted_GTIN_gets_no_ONS_name()
    {
        // GTIN 09506000134352 is a non-public value: publishing its NAPTR would reveal the link.
        var output = await DigAsync("NAPTR", "0.3.4.3.1.0.0.0.6.0.5.9.0.gtin.gs1.id.onsepc.com");
        Assert.Equal("NXDOMAIN", Status(output));
    }

    [Theory]
    [InlineData("")]
    [InlineData("+tcp")]
    public async Task Unknown_names_are_NXDOMAIN_with_the_SOA(string transport)
    {
        var output = await DigAsync(transport == "" ? "+notcp" : transport, "NAPTR", "1.2.3.4.5.6.7.8.9.0.1.2.3.gtin.gs1.id.onsepc.com");
        Assert.Equal("NXDOMAIN", Status(output));
        Assert.Contains("AUTHORITY: 1", output, StringComparison.Ordinal);
        Assert.Contains("SOA ns.onsepc.com. hostmaster.onsepc.com.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_without_the_type_is_NODATA()
    {
        var output = await DigAsync("TXT", "0.0.6.2.2.3.1.4.1.4.1.6.0.gtin.gs1.id.onsepc.com");
        Assert.Equal("NOERROR", Status(output));
        Assert.Contains("ANSWER: 0", output, StringComparison.Ordinal);
        Assert.Contains("AUTHORITY: 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_UDP_answer_makes_dig_retry_over_TCP_and_get_everything()
    {
        var output = await DigAsync("+noedns", "TXT", "big.12.100.88.hdl.fabrica.internal");
        Assert.Contains("Truncated, retrying in TCP mode", output, StringComparison.Ordinal);
        Assert.Equal("NOERROR", Status(output));
        Assert.Contains("ANSWER: 20", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changes_to_the_store_are_served_at_once()
    {
        await _fixture.Store.PutAsync(HandleRecord.Create(HandleName.Parse("88.100.12/VALVE-9"),
            [HandleValue.Text(1, "URL", "https://example.com/valve/9"), HandleValue.Text(2, "OID", "1.3.6.1.4.1.99999.7")]));
        Assert.Contains("https://example.com/valve/9", await DigAsync("+short", "NAPTR", "7.99999.1.4.1.6.3.1.oid-res.org"), StringComparison.Ordinal);
        await _fixture.Store.DeleteAsync(HandleName.Parse("88.100.12/VALVE-9"));
        Assert.Equal("NXDOMAIN", Status(await DigAsync("NAPTR", "7.99999.1.4.1.6.3.1.oid-res.org")));
        // The empty names above it went with it.
        Assert.Equal("NXDOMAIN", Status(await DigAsync("NAPTR", "99999.1.4.1.6.3.1.oid-res.org")));
    }
}
