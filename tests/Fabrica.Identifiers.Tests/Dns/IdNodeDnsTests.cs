using System.Diagnostics;
using System.Net;
using Fabrica.Identifiers.DigitalLink;
using Fabrica.Identifiers.Dns;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Store;
using Fabrica.Server.Hosting;

namespace Fabrica.Identifiers.Tests.Dns;

/// <summary>
/// The DNS front end inside the identifier node's host (<c>fabrica idnode</c>): started with the node, serving the
/// node's handle store, Digital Link links of a GTIN as ONS NAPTR records (public links only), checked with dig.
/// </summary>
public sealed class IdNodeDnsTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fabrica-dns-node-" + Guid.NewGuid().ToString("N")[..12]);
    private IdentifierNodeServer _server = null!;

    public async Task InitializeAsync() => _server = await IdentifierNodeServer.StartAsync(new FabricaServerOptions
    {
        DataDirectory = _directory,
        HttpPort = 0,
        BindAddress = IPAddress.Loopback,
        Identifiers = new IdentifierNodeSettings { Prefixes = ["88.100.12"], HandlePort = 0, Dns = new DnsServerOptions { Port = 0 } },
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Digital_Link_links_of_a_GTIN_record_are_its_ONS_NAPTR_records()
    {
        Assert.NotNull(_server.DnsPort);
        var store = (HandleStore)_server.Services.GetService(typeof(HandleStore))!;
        await store.PutAsync(HandleRecord.Create(HandleName.Parse("88.100.12/01/09506000134352"),
        [
            new HandleValue(1, Gs1Link.ValueType, new Gs1Link("gs1:pip", "https://example.com/pip", "Product", IsDefault: true).ToJson()),
            new HandleValue(2, Gs1Link.ValueType, new Gs1Link("gs1:certificationInfo", "https://example.com/cert", "Certificate").ToJson()),
            new HandleValue(3, Gs1Link.ValueType, new Gs1Link("gs1:traceability", "https://partners.example.com/trace", "Partners").ToJson(), Permissions: ValuePermissions.Restricted),
        ]));
        var start = new ProcessStartInfo("dig") { RedirectStandardOutput = true };
        foreach (var argument in new[] { "@127.0.0.1", "-p", _server.DnsPort!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "+norec", "+short", "+time=5", "NAPTR", "0.5.3.4.3.1.0.0.0.6.0.5.9.gtin.gs1.id.onsepc.com" })
            start.ArgumentList.Add(argument);
        using var dig = Process.Start(start)!;
        var output = await dig.StandardOutput.ReadToEndAsync();
        await dig.WaitForExitAsync();
        Assert.Contains("0 10 \"U\" \"http://www.gs1.org/ons/html\" \"!^.*$!https://example.com/pip!\" .", output, StringComparison.Ordinal);
        Assert.Contains("0 20 \"U\" \"https://ref.gs1.org/voc/certificationInfo\" \"!^.*$!https://example.com/cert!\" .", output, StringComparison.Ordinal);
        Assert.DoesNotContain("partners", output, StringComparison.Ordinal);
    }
}
