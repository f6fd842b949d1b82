using System.Net;
using Fabrica.Identifiers.Dns;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Identifiers.Tests.Dns;

/// <summary>A real DNS server on 127.0.0.1 and a free port, over a real handle store in a temporary directory.</summary>
internal sealed class DnsServerFixture : IAsyncDisposable
{
    public const string Pump = "88.100.12/PUMP-0001";
    public const string PumpName = "pump-0001.12.100.88.hdl.fabrica.internal";
    public const string OrsName = "1.102.101818.156.16.2.oid-res.org";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fabrica-dns-" + Guid.NewGuid().ToString("N")[..12]);

    public HandleStore Store { get; private set; } = null!;

    public DnsServer Server { get; private set; } = null!;

    public int Port => Server.EndPoint!.Port;

    public static async Task<DnsServerFixture> StartAsync(DnsServerOptions? options = null, TimeProvider? time = null)
    {
        var fixture = new DnsServerFixture();
        fixture.Store = await HandleStore.OpenAsync(Path.Combine(fixture._directory, "identifiers.db"));
        await fixture.Store.PutAsync(HandleRecord.Create(HandleName.Parse(Pump),
        [
            HandleValue.Text(1, "URL", "https://example.com/pump/1", ttl: 300),
            HandleValue.Text(2, "GTIN", "00614141322602"),
            HandleValue.Text(3, "OID", "2.16.156.101818.102.1"),
            HandleValue.Text(4, "NAPTR", "http://www.gs1.org/ons/epcis https://epcis.example.com/"),
            HandleValue.Text(5, "manufacturer", "ACME Pumps"),
            HandleValue.Text(6, "batch", "B-SECRET-7", ValuePermissions.Restricted),
            HandleValue.Text(7, "GTIN", "09506000134352", ValuePermissions.Restricted),
            HandleValue.Text(8, "ALT_ID", "urn:epc:id:sgtin:0614141.012345.62852"),
        ]));
        // Twenty 80-byte values: about 2 KB of TXT, beyond 512 bytes and beyond an EDNS size of 1232.
        await fixture.Store.PutAsync(HandleRecord.Create(HandleName.Parse("88.100.12/BIG"),
            Enumerable.Range(1, 20).Select(i => HandleValue.Text(i, "note" + i, new string((char)('a' + i), 80)))));
        options = (options ?? new DnsServerOptions()) with { Port = 0 };
        fixture.Server = DnsServer.Create(new HandleDnsRecordSource(fixture.Store, options), options, NullLogger<DnsServer>.Instance, time);
        fixture.Server.Start(IPAddress.Loopback);
        return fixture;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
