using System.Net;
using System.Text.Json;
using Fabrica.Identifiers.Schemes.Epc;
using Fabrica.Server.Hosting;

namespace Fabrica.Identifiers.Tests.DigitalLink;

/// <summary>
/// <c>GET /api/v1/identifiers/resolve?id=</c> over real HTTP: one object reached by handle, SGTIN URN, SGTIN-96 hex, EPC
/// tag URI, element string and Digital Link; its non-public value only with a token; rule-mapped GS1 keys and OIDs;
/// bindings surviving a restart.
/// </summary>
public sealed class ResolveAnyIdentifierTests(ResolverNodeFixture node) : IClassFixture<ResolverNodeFixture>
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> ResolveAsync(HttpClient http, string id)
    {
        using var response = await http.GetAsync("/api/v1/identifiers/resolve?id=" + Uri.EscapeDataString(id));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static IEnumerable<string> Types(JsonElement body) => body.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("type").GetString()!);

    [Fact]
    public async Task The_same_object_resolves_by_handle_SGTIN_URN_SGTIN_96_hex_and_Digital_Link_with_non_public_values_for_readers_only()
    {
        using var engineer = node.Client(node.EngineerToken);
        await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Put, "/api/handles/88.100.12/PUMP-0001",
            """[{"index":1,"type":"URL","data":"https://example.com/pump/1"},{"index":2,"type":"batch","data":"B-2026-11","permissions":"1100"}]""");
        await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Post, "/api/v1/identifiers/alternates",
            """{"handle":"88.100.12/PUMP-0001","identifier":"urn:epc:id:sgtin:9506000.013435.4711"}""", HttpStatusCode.Created);
        var hex = Epc96.EncodeHex(new EpcTag(EpcIdentity.Parse("urn:epc:id:sgtin:9506000.013435.4711"), 1));
        string[] names =
        [
            "88.100.12/PUMP-0001", "urn:epc:id:sgtin:9506000.013435.4711", hex, "urn:epc:tag:sgtin-96:3.9506000.013435.4711",
            "https://example.com/01/09506000134352/21/4711", "https://id.gs1.org/01/9506000134352/10/ANY/21/4711", "(01)09506000134352(21)4711",
            "\u001D010950600013435221" + "4711",
        ];
        using var anonymous = node.Client();
        using var viewer = node.Client(node.ViewerToken);
        var schemes = new List<string>();
        foreach (var name in names)
        {
            var (status, body) = await ResolveAsync(anonymous, name);
            Assert.True(status == HttpStatusCode.OK, $"{name}: {status} {body}");
            Assert.Equal("88.100.12/PUMP-0001", body.GetProperty("handle").GetString());
            Assert.Contains("URL", Types(body));
            Assert.DoesNotContain("batch", Types(body));
            schemes.Add(body.GetProperty("scheme").GetString()!);
            var (readerStatus, readerBody) = await ResolveAsync(viewer, name);
            Assert.Equal(HttpStatusCode.OK, readerStatus);
            Assert.Contains("batch", Types(readerBody));
        }
        Assert.Equal(["handle", "epc-pure-identity", "epc-96", "epc-tag-uri", "gs1-digital-link", "gs1-digital-link", "gs1-element-string", "gs1-element-string"], schemes);
    }

    [Fact]
    public async Task Rules_map_GS1_keys_and_OIDs_to_handles_of_the_enterprise_prefix()
    {
        using var engineer = node.Client(node.EngineerToken);
        await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Put, "/api/handles/88.100.12/01/09506000134369/21/S1", """[{"index":1,"type":"URL","data":"https://example.com/s1"}]""");
        await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Put, "/api/handles/88.100.12/oid/2.16", """[{"index":1,"type":"URL","data":"https://example.com/oid"}]""");
        using var anonymous = node.Client();
        foreach (var id in new[] { "https://example.com/01/09506000134369/21/S1", "urn:epc:id:sgtin:9506000.013436.S1" })
        {
            var (status, body) = await ResolveAsync(anonymous, id);
            Assert.True(status == HttpStatusCode.OK, $"{id}: {status} {body}");
            Assert.Equal("88.100.12/01/09506000134369/21/S1", body.GetProperty("handle").GetString());
            Assert.Equal("rule", body.GetProperty("match").GetString());
        }
        var (oidStatus, oid) = await ResolveAsync(anonymous, "urn:oid:1.2.156.101818.2.16");
        Assert.Equal(HttpStatusCode.OK, oidStatus);
        Assert.Equal("88.100.12/oid/2.16", oid.GetProperty("handle").GetString());
        Assert.Equal("oid", oid.GetProperty("scheme").GetString());
        // The same lookups as the DNS front end makes them (ONS: GTIN [+ serial]; ORS: dotted OID).
        var mapper = (Fabrica.Identifiers.Mapping.IdentifierMapper)node.Server.Services.GetService(typeof(Fabrica.Identifiers.Mapping.IdentifierMapper))!;
        Assert.Equal("88.100.12/01/09506000134369/21/S1", mapper.FindGtin("9506000134369", "S1")?.Handle);
        Assert.Null(mapper.FindGtin("9506000134369", "S2"));
        Assert.Equal("88.100.12/oid/2.16", mapper.FindOid("1.2.156.101818.2.16")?.Handle);
        Assert.Equal("88.100.12/oid/2.17", mapper.HandleForKey("oid:1.2.156.101818.2.17")?.ToString());
        var rules = await ResolverNodeFixture.SendAsync(node.Client(node.ViewerToken), HttpMethod.Get, "/api/v1/identifiers/rules");
        Assert.Contains(rules.GetProperty("rules").EnumerateArray(), r => r.GetProperty("match").GetString() == "9506000" && r.GetProperty("prefix").GetString() == "88.100.12");
    }

    [Fact]
    public async Task Malformed_identifiers_are_refused_with_a_reason_and_unknown_ones_are_not_found()
    {
        using var anonymous = node.Client();
        var (bad, body) = await ResolveAsync(anonymous, "https://example.com/01/09506000134353");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("check digit", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        (bad, body) = await ResolveAsync(anonymous, "307C257BF7194E4000001A85");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        var (missing, unknown) = await ResolveAsync(anonymous, "urn:epc:id:sscc:9506000.0000000001");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("epc-pure-identity", unknown.GetProperty("scheme").GetString());
        using var engineer = node.Client(node.EngineerToken);
        await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Post, "/api/v1/identifiers/alternates",
            """{"handle":"88.100.12/NOPE","identifier":"1.2.3.4"}""", HttpStatusCode.NotFound);
        await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Post, "/api/v1/identifiers/rules",
            """{"kind":"gs1","match":"95O6","prefix":"88.100.12"}""", HttpStatusCode.BadRequest);
        await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Post, "/api/v1/identifiers/rules",
            """{"kind":"gs1","match":"4012345","prefix":"77.1"}""", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Alternate_identifiers_and_rules_survive_a_restart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fabrica-dl-restart-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var server = await IdentifierNodeServer.StartAsync(ResolverNodeFixture.Options(directory));
            var admin = File.ReadAllText(Path.Combine(directory, "admin.token")).Trim();
            using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") })
            {
                http.DefaultRequestHeaders.Authorization = new("Bearer", admin);
                await ResolverNodeFixture.SendAsync(http, HttpMethod.Put, "/api/handles/88.100.12/MOTOR-7", """[{"index":1,"type":"URL","data":"https://example.com/m7"}]""");
                await ResolverNodeFixture.SendAsync(http, HttpMethod.Post, "/api/v1/identifiers/alternates", """{"handle":"88.100.12/MOTOR-7","identifier":"ecode:21001200007"}""", HttpStatusCode.Created);
                await ResolverNodeFixture.SendAsync(http, HttpMethod.Post, "/api/v1/identifiers/rules", """{"kind":"oid","match":"1.2.156.7","prefix":"88.100.12"}""", HttpStatusCode.Created);
            }
            await server.DisposeAsync();
            server = await IdentifierNodeServer.StartAsync(ResolverNodeFixture.Options(directory));
            using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") })
            {
                var (status, body) = await ResolveAsync(http, "ecode:21001200007");
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal("88.100.12/MOTOR-7", body.GetProperty("handle").GetString());
                Assert.Equal("alternate", body.GetProperty("match").GetString());
                http.DefaultRequestHeaders.Authorization = new("Bearer", admin);
                var rules = await ResolverNodeFixture.SendAsync(http, HttpMethod.Get, "/api/v1/identifiers/rules");
                Assert.Contains(rules.GetProperty("rules").EnumerateArray(), r => r.GetProperty("match").GetString() == "1.2.156.7");
            }
            await server.DisposeAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
