using System.Net;
using System.Text.Json;

namespace Fabrica.Identifiers.Tests.DigitalLink;

/// <summary>
/// The checks of GS1's resolver test suite (github gs1/GS1DL-resolver-testsuite, GS1DigitalLinkResolverTestSuite.js
/// and tester.php), replayed over real HTTP against the real server. Each test is named after the suite's check id and
/// sends what the suite sends (its tester.php uses curl with an Origin header and no redirect following).
/// </summary>
public sealed class ResolverConformanceTests(ResolverNodeFixture node) : IClassFixture<ResolverNodeFixture>
{
    private const string Origin = "https://ref.gs1.org/test-suites/resolver/";

    private static string Dl => "/01/" + ResolverNodeFixture.Gtin;

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? accept = null, string? token = null)
    {
        using var http = node.Client(token);
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Origin", Origin);
        if (method == HttpMethod.Options)
            request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "GET,HEAD,OPTIONS");
        if (accept is not null)
            request.Headers.TryAddWithoutValidation("Accept", accept);
        return await http.SendAsync(request);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(", ", content) : "";

    [Fact]
    public async Task corsCheck()
    {
        using var response = await SendAsync(HttpMethod.Options, Dl);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task methodsCheck()
    {
        using var options = await SendAsync(HttpMethod.Options, Dl);
        var allowed = Header(options, "Access-Control-Allow-Methods");
        foreach (var method in new[] { "GET", "HEAD", "OPTIONS" })
            Assert.Contains(method, allowed, StringComparison.Ordinal);
        // And they work: GET and HEAD redirect alike, HEAD without a body.
        using var get = await SendAsync(HttpMethod.Get, Dl);
        using var head = await SendAsync(HttpMethod.Head, Dl);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, get.StatusCode);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, head.StatusCode);
        Assert.Equal(get.Headers.Location, head.Headers.Location);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task linkOnRedirect()
    {
        // The suite reads the Link header of its OPTIONS probe; the redirect itself carries it too.
        foreach (var method in new[] { HttpMethod.Options, HttpMethod.Get })
        {
            using var response = await SendAsync(method, Dl);
            var link = Header(response, "Link");
            Assert.Contains("rel=\"linkset\"", link, StringComparison.Ordinal);
            Assert.Contains($"<{node.BaseUrl}{Dl}?linkType=linkset>", link, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task reportWith400()
    {
        using var response = await SendAsync(HttpMethod.Get, Dl + "/foo");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task noErrorWith200()
    {
        foreach (var broken in new[] { Dl + "/foo", "/01/09506000134353", "/01/" + ResolverNodeFixture.Gtin + "/21/S/10/L", "/00/123" })
        {
            using var response = await SendAsync(HttpMethod.Get, broken);
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(400, problem.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        }
    }

    [Fact]
    public async Task trailingSlash()
    {
        using var without = await SendAsync(HttpMethod.Get, Dl);
        using var with = await SendAsync(HttpMethod.Get, Dl + "/");
        Assert.Equal(without.StatusCode, with.StatusCode);
        Assert.Equal(without.Headers.Location, with.Headers.Location);
    }

    [Fact]
    public async Task basicWalkUp()
    {
        // The suite appends an unknown lot (/10/KL8G); the resolver must walk up to the GTIN, not answer 404.
        using var response = await SendAsync(HttpMethod.Get, Dl + "/10/KL8G");
        Assert.NotEqual(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(ResolverNodeFixture.PipHref, response.Headers.Location?.ToString());
        // A serial with its own links answers with them, and walks up for the rest.
        using var serial = await SendAsync(HttpMethod.Get, Dl + "/10/KL8G/21/1234?linkType=gs1:dpp");
        Assert.Equal(ResolverNodeFixture.DppHref, serial.Headers.Location?.ToString());
        // The serial's only link is no default: a plain scan still goes to the GTIN's default page.
        using var plain = await SendAsync(HttpMethod.Get, Dl + "/21/1234");
        Assert.Equal(ResolverNodeFixture.PipHref, plain.Headers.Location?.ToString());
        using var up = await SendAsync(HttpMethod.Get, Dl + "/21/1234?linkType=gs1:certificationInfo");
        Assert.Equal("https://example.com/cert/1", up.Headers.Location?.ToString());
    }

    [Fact]
    public async Task ltLinksetNoRedirect()
    {
        using var response = await SendAsync(HttpMethod.Get, Dl + "?linkType=linkset");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task ltAcceptHeader()
    {
        using var response = await SendAsync(HttpMethod.Get, Dl + "?linkType=all", accept: "application/linkset+json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var plain = await SendAsync(HttpMethod.Get, Dl, accept: "application/linkset+json");
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("application/linkset+json", plain.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task qsPassedOn()
    {
        using var response = await SendAsync(HttpMethod.Get, Dl + "?foo=bar");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Contains("foo=bar", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task specificLinkTypeNotFound()
    {
        using var response = await SendAsync(HttpMethod.Get, Dl + "?linkType=gs1:nosuchlt");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task rdFile()
    {
        using var response = await SendAsync(HttpMethod.Get, "/.well-known/gs1resolver", accept: "application/json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var description = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        // Resolver description file schema 1.2.0: name (string), resolverRoot (URI), supportedPrimaryKeys (AIs or "all"),
        // supportedLinkType [{namespace (URI), prefix matching ^[a-zA-Z_][A-Za-z0-9_-]*?:$}].
        Assert.False(string.IsNullOrEmpty(description.GetProperty("name").GetString()));
        Assert.True(Uri.TryCreate(description.GetProperty("resolverRoot").GetString(), UriKind.Absolute, out _));
        string[] allowed = ["all", "01", "8006", "8013", "8010", "410", "411", "412", "413", "414", "415", "417", "8017", "8018", "255", "00", "253", "401", "402", "8003", "8004"];
        var keys = description.GetProperty("supportedPrimaryKeys").EnumerateArray().Select(k => k.GetString()!).ToList();
        Assert.Contains("01", keys);
        Assert.All(keys, k => Assert.Contains(k, allowed));
        foreach (var type in description.GetProperty("supportedLinkType").EnumerateArray())
        {
            Assert.True(Uri.TryCreate(type.GetProperty("namespace").GetString(), UriKind.Absolute, out _));
            Assert.Matches("^[a-zA-Z_][A-Za-z0-9_-]*?:$", type.GetProperty("prefix").GetString());
        }
    }
}
