using System.Globalization;
using System.Net;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Native.Admin;
using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Signing;
using Fabrica.Identifiers.Tests.DigitalLink;
using Fabrica.Identifiers.Tests.Resolution;
using Fabrica.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;

namespace Fabrica.Identifiers.Tests.Security;

/// <summary>
/// Issue 5: "non-public values never leave a node to an unauthorised client, over any front end". An enterprise node
/// (<c>fabrica idnode</c>'s host) holds a pump with public and non-public values, an SGTIN alias and Digital Link links
/// (one for partners only); every non-public datum contains <see cref="Marker"/>. A root delegates 88.100.12 to it and a
/// second node resolves through the root. Every front end is asked anonymously, in every way that names the
/// restricted values, and the marker must not occur in any response's bytes: REST (curl, headers included), native
/// UDP and TCP, recursive REST and native through the other node, DNS (dig, UDP and TCP), the any-scheme resolver and
/// the Digital Link resolver. Then the authorised partners get it: a viewer token over REST, a key in the prefix's
/// reader group over the native protocol.
/// </summary>
public sealed partial class NonPublicValuesSweepTests : IAsyncLifetime
{
    private const string Marker = "ZQX7SECRET";
    private const string Pump = "88.100.12/PUMP-SWEEP";
    private const string Gtin = "09506000134352";
    private const string Sgtin = "urn:epc:id:sgtin:9506000.013435.4711";
    private static readonly string DigitalLink = $"https://example.com/01/{Gtin}/21/4711";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fabrica-sweep-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly Key _rootKey = Ed25519Keys.Generate();
    private readonly Key _partner = Ed25519Keys.Generate();
    private LoopbackNode _root = null!;
    private IdentifierNodeServer _enterprise = null!, _resolver = null!;
    private string _engineer = "", _viewer = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _enterprise = await IdentifierNodeServer.StartAsync(Options("enterprise", ["88.100.12"], [], null));
        _engineer = await NewTokenAsync(_enterprise, "engineer");
        _viewer = await NewTokenAsync(_enterprise, "viewer");
        using (var engineer = Http(_enterprise, _engineer))
        {
            await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Put, "/api/handles/" + Pump, $$"""
                [{"index":1,"type":"URL","data":"https://example.com/pump/sweep"},
                 {"index":2,"type":"batch","data":"B-{{Marker}}-1","permissions":"1100"},
                 {"index":3,"type":"manufacturer","data":"ACME Pumps"},
                 {"index":4,"type":"fabrica.asset","data":"plant/{{Marker}}/pump","permissions":"1000"}]
                """);
            await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Post, "/api/v1/identifiers/rules", """{"kind":"gs1","match":"9506000","prefix":"88.100.12"}""");
            await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Post, "/api/v1/identifiers/alternates", $$"""{"handle":"{{Pump}}","identifier":"{{Sgtin}}","public":true}""");
            var id = Uri.EscapeDataString(DigitalLink);
            await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Put, "/api/v1/identifiers/links?id=" + id, """{"linkType":"gs1:pip","href":"https://example.com/pip","title":"Product","default":true}""");
            await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Put, "/api/v1/identifiers/links?id=" + id, $$"""{"linkType":"gs1:traceability","href":"https://partners.example.com/{{Marker}}","title":"Trace {{Marker}}","public":false}""");
        }

        // The partner's key, and the prefix's reader group naming it (HS_ADMIN "read value" → HS_VLIST), set over REST.
        var node = _enterprise.Services.GetRequiredService<IdentifierNode>();
        var prefix = HandleName.ForPrefix("88.100.12");
        using (var engineer = Http(_enterprise, _engineer))
        {
            var key = Convert.ToHexStringLower(Ed25519Keys.ToHsPubKey(Ed25519Keys.ExportPublic(_partner)));
            await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Put, "/api/handles/88.100.12/PARTNER",
                $$$"""[{"index":300,"type":"HS_PUBKEY","data":{"format":"hex","value":"{{{key}}}"}}]""");
            await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Put, "/api/handles/0.NA/88.100.12?index=200&index=101", """
                [{"index":200,"type":"HS_VLIST","data":{"format":"vlist","value":[{"handle":"88.100.12/PARTNER","index":300}]}},
                 {"index":101,"type":"HS_ADMIN","data":{"format":"admin","value":{"handle":"0.NA/88.100.12","index":200,"permissions":"010000000000"}}}]
                """);
        }

        // A root delegating 88.100.12 to the enterprise, and a node resolving through it.
        _root = await LoopbackNode.StartAsync(NodeRole.Root, [], _rootKey);
        var delegation = node.Store.Get(prefix)!.Values.Where(v => v.Type is HandleTypes.Site or HandleTypes.PublicKey && v.Index != 0).ToList();
        Assert.True((await _root.Node.PutRecordAsync(prefix, delegation, overwrite: true)).Succeeded);
        var anchors = Path.Combine(_directory, "root.pub");
        await File.WriteAllTextAsync(anchors, Convert.ToHexStringLower(Ed25519Keys.ExportPublic(_rootKey)) + "\n");
        _resolver = await IdentifierNodeServer.StartAsync(Options("resolver", ["99"], [$"127.0.0.1:{_root.EndPoint.Port}"], anchors));
    }

    private FabricaServerOptions Options(string name, string[] prefixes, string[] roots, string? anchors) => new()
    {
        DataDirectory = Path.Combine(_directory, name),
        HttpPort = 0,
        MqttPort = 0,
        BindAddress = IPAddress.Loopback,
        Identifiers = new IdentifierNodeSettings
        {
            Prefixes = prefixes,
            HandlePort = 0,
            Roots = roots,
            RootKeyFile = anchors,
            ServerTimeout = TimeSpan.FromSeconds(3),
            Dns = new Fabrica.Identifiers.Dns.DnsServerOptions { Port = 0 },
        },
    };

    [Fact]
    public async Task Non_public_values_never_leave_a_node_to_an_unauthorised_client_over_any_front_end()
    {
        var answers = new List<(string Request, string Response)>();
        var web = $"http://127.0.0.1:{_enterprise.HttpPort}";
        var viaResolver = $"http://127.0.0.1:{_resolver.HttpPort}";
        // REST: Handle.Net's API, with publicOnly either way and filters naming the restricted values.
        foreach (var query in new[] { "", "?publicOnly=true", "?publicOnly=false", "?index=2", "?index=4", "?type=batch", "?type=fabrica.", "?index=2&publicOnly=false", "?type=batch&publicOnly=false" })
            answers.Add(await CurlAsync(web + "/api/handles/" + Pump + query));
        answers.Add(await CurlAsync(web + "/api/handles?prefix=88.100.12"));
        // The any-scheme resolver, by handle, SGTIN and Digital Link.
        foreach (var id in new[] { Pump, Sgtin, DigitalLink, Gtin })
            answers.Add(await CurlAsync(web + "/api/v1/identifiers/resolve?walkUp=true&id=" + Uri.EscapeDataString(id)));
        answers.Add(await CurlAsync(web + "/api/v1/identifiers/links?id=" + Uri.EscapeDataString(DigitalLink)));
        // The Digital Link resolver: redirect (Location header), each link type, the linkset.
        foreach (var query in new[] { "", "?linkType=gs1:traceability", "?linkType=all", "?linkType=linkset" })
            answers.Add(await CurlAsync(web + $"/01/{Gtin}/21/4711" + query));
        answers.Add(await CurlAsync(web + $"/01/{Gtin}/21/4711", "-H", "Accept: application/linkset+json"));
        // Recursive resolution through the other node, REST and native.
        foreach (var query in new[] { "", "?index=2", "?type=batch", "?publicOnly=false" })
            answers.Add(await CurlAsync(viaResolver + "/api/handles/" + Pump + query));
        var resolverNative = new IPEndPoint(IPAddress.Loopback, _resolver.HandlePort);
        foreach (var flags in new[] { OpFlags.Recursive | OpFlags.PublicOnly, OpFlags.Recursive, OpFlags.Recursive | OpFlags.Authoritative })
            answers.Add(await NativeUdpAsync(resolverNative, flags, [2]));
        // Native protocol on the enterprise node, UDP and TCP, with and without PublicOnly.
        var native = new IPEndPoint(IPAddress.Loopback, _enterprise.HandlePort);
        foreach (var flags in new[] { OpFlags.PublicOnly, OpFlags.None, OpFlags.Authoritative | OpFlags.Certify })
        {
            foreach (var indexes in new[] { Array.Empty<int>(), [2], [4] })
            {
                answers.Add(await NativeUdpAsync(native, flags, indexes));
                answers.Add(await NativeTcpAsync(native, flags, indexes));
            }
        }
        // DNS: the handle's own name and the GTIN's ONS name, over UDP and TCP.
        var dns = _enterprise.DnsPort!.Value.ToString(CultureInfo.InvariantCulture);
        foreach (var (type, name) in new[] { ("TXT", "pump-sweep.12.100.88.hdl.fabrica.internal"), ("URI", "pump-sweep.12.100.88.hdl.fabrica.internal"),
                     ("ANY", "pump-sweep.12.100.88.hdl.fabrica.internal"), ("NAPTR", "0.5.3.4.3.1.0.0.0.6.0.5.9.gtin.gs1.id.onsepc.com") })
        {
            answers.Add(await RunAsync("dig", "@127.0.0.1", "-p", dns, "+norec", "+time=5", type, name));
            answers.Add(await RunAsync("dig", "@127.0.0.1", "-p", dns, "+norec", "+tcp", "+time=5", type, name));
        }

        // The sweep asked real questions: public data came back on each kind of front end.
        Answered(answers, "/api/handles/", "https://example.com/pump/sweep");
        Answered(answers, viaResolver, "https://example.com/pump/sweep");
        Answered(answers, "native udp", "https://example.com/pump/sweep");
        Answered(answers, "native tcp", "https://example.com/pump/sweep");
        Answered(answers, "dig", "manufacturer=ACME Pumps");
        Answered(answers, "dig", "https://example.com/pip");
        Answered(answers, "/01/", "https://example.com/pip");
        Answered(answers, "resolve?", Pump);
        var leaks = answers.Where(a => a.Response.Contains(Marker, StringComparison.Ordinal)).Select(a => a.Request).ToList();
        Assert.True(leaks.Count == 0, "non-public data sent to an anonymous client by: " + string.Join(", ", leaks));

        // The authorised partners: a viewer token over REST and the any-scheme resolver, a reader-group key natively.
        Assert.Contains("B-" + Marker, (await CurlAsync(web + "/api/handles/" + Pump, "-H", "Authorization: Bearer " + _viewer)).Response, StringComparison.Ordinal);
        Assert.Contains(Marker, (await CurlAsync(web + "/api/v1/identifiers/resolve?id=" + Uri.EscapeDataString(Sgtin), "-H", "Authorization: Bearer " + _viewer)).Response, StringComparison.Ordinal);
        var partner = await new HandleAdminClient("88.100.12/PARTNER", 300, _partner, Timeout).ResolveAsync(native, Pump);
        Assert.Equal(ResponseCode.Success, partner.Header.ResponseCode);
        Assert.Contains("B-" + Marker, Text(partner), StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_resolver is not null)
            await _resolver.DisposeAsync();
        if (_enterprise is not null)
            await _enterprise.DisposeAsync();
        if (_root is not null)
            await _root.DisposeAsync();
        _partner.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
