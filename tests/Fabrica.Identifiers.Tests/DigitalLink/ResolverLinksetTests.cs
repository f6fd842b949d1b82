using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Fabrica.Identifiers.Tests.DigitalLink;

/// <summary>validLinkset and defaultLinkExists of the GS1 resolver test suite, and who sees which links.</summary>
public sealed class ResolverLinksetTests(ResolverNodeFixture node) : IClassFixture<ResolverNodeFixture>
{
    private static string Dl => "/01/" + ResolverNodeFixture.Gtin;

    private async Task<(HttpResponseMessage Response, JsonElement Linkset)> LinksetAsync(string path, string? token = null)
    {
        using var http = node.Client(token);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/linkset+json"));
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>
    /// RFC 9264 §4.2 and the shape of the suite's modelLinkset.json: <c>{"linkset": [context objects]}</c>; each context
    /// has an absolute <c>anchor</c>, optional <c>itemDescription</c>, and relation members whose names are URIs
    /// (<c>https://ref.gs1.org/voc/…</c>) and whose values are arrays of target objects with a string <c>href</c> and
    /// optional <c>title</c>, <c>type</c> (strings), <c>hreflang</c> (array of strings) and <c>context</c>.
    /// </summary>
    private static void AssertValidLinkset(JsonElement linkset)
    {
        Assert.Equal(JsonValueKind.Object, linkset.ValueKind);
        var contexts = linkset.GetProperty("linkset");
        Assert.Equal(JsonValueKind.Array, contexts.ValueKind);
        Assert.NotEqual(0, contexts.GetArrayLength());
        foreach (var context in contexts.EnumerateArray())
        {
            Assert.True(Uri.TryCreate(context.GetProperty("anchor").GetString(), UriKind.Absolute, out _));
            foreach (var member in context.EnumerateObject().Where(m => m.Name is not ("anchor" or "itemDescription")))
            {
                Assert.True(Uri.TryCreate(member.Name, UriKind.Absolute, out _), $"relation {member.Name} is not a URI");
                Assert.Equal(JsonValueKind.Array, member.Value.ValueKind);
                foreach (var target in member.Value.EnumerateArray())
                {
                    Assert.True(Uri.TryCreate(target.GetProperty("href").GetString(), UriKind.Absolute, out _));
                    foreach (var attribute in target.EnumerateObject())
                    {
                        Assert.Contains(attribute.Name, new[] { "href", "title", "type", "hreflang", "context" });
                        if (attribute.Name == "hreflang")
                            Assert.All(attribute.Value.EnumerateArray(), l => Assert.Equal(JsonValueKind.String, l.ValueKind));
                        else if (attribute.Name != "context")
                            Assert.Equal(JsonValueKind.String, attribute.Value.ValueKind);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task validLinkset()
    {
        var (response, linkset) = await LinksetAsync(Dl);
        using (response)
        {
            Assert.Equal("application/linkset+json", response.Content.Headers.ContentType?.MediaType);
            AssertValidLinkset(linkset);
            var context = Assert.Single(linkset.GetProperty("linkset").EnumerateArray());
            Assert.Equal(node.BaseUrl + Dl, context.GetProperty("anchor").GetString());
            var pip = Assert.Single(context.GetProperty("https://ref.gs1.org/voc/pip").EnumerateArray());
            Assert.Equal(ResolverNodeFixture.PipHref, pip.GetProperty("href").GetString());
            Assert.Equal("en", Assert.Single(pip.GetProperty("hreflang").EnumerateArray()).GetString());
            Assert.True(context.TryGetProperty("https://ref.gs1.org/voc/certificationInfo", out _), "gs1.org/voc namespace written as ref.gs1.org/voc");
        }
        // At serial level the linkset has both anchors, as modelLinkset.json does.
        var (serialResponse, serialLinkset) = await LinksetAsync(Dl + "/21/1234?linkType=linkset");
        using (serialResponse)
        {
            AssertValidLinkset(serialLinkset);
            var anchors = serialLinkset.GetProperty("linkset").EnumerateArray().Select(c => c.GetProperty("anchor").GetString()).ToList();
            Assert.Equal([node.BaseUrl + Dl + "/21/1234", node.BaseUrl + Dl], anchors);
        }
    }

    [Fact]
    public async Task defaultLinkExists()
    {
        var (response, linkset) = await LinksetAsync(Dl);
        response.Dispose();
        var context = linkset.GetProperty("linkset")[0];
        var defaultLink = Assert.Single(context.GetProperty("https://ref.gs1.org/voc/defaultLink").EnumerateArray());
        // Exactly one default, with a title and no other attribute (resolver standard; suite's singleDefaulLink).
        Assert.Equal(["href", "title"], defaultLink.EnumerateObject().Select(p => p.Name));
        // defaultTarget: a plain request redirects to it.
        using var http = node.Client();
        using var redirect = await http.GetAsync(Dl);
        Assert.Equal(defaultLink.GetProperty("href").GetString(), redirect.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Links_that_are_not_public_reach_only_authorised_readers()
    {
        var (anonymous, publicSet) = await LinksetAsync(Dl);
        anonymous.Dispose();
        Assert.False(publicSet.GetProperty("linkset")[0].TryGetProperty("https://ref.gs1.org/voc/traceability", out _));
        var (viewer, fullSet) = await LinksetAsync(Dl, node.ViewerToken);
        viewer.Dispose();
        Assert.True(fullSet.GetProperty("linkset")[0].TryGetProperty("https://ref.gs1.org/voc/traceability", out _));
        using var http = node.Client();
        using var refused = await http.GetAsync(Dl + "?linkType=gs1:traceability");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task Links_are_managed_over_REST_by_engineers_only()
    {
        using var viewer = node.Client(node.ViewerToken);
        var id = Uri.EscapeDataString($"https://example.com/01/{ResolverNodeFixture.Gtin}");
        await ResolverNodeFixture.SendAsync(viewer, HttpMethod.Put, "/api/v1/identifiers/links?id=" + id, """{"linkType":"gs1:recipeInfo","href":"https://example.com/r"}""", HttpStatusCode.Forbidden);
        using var anonymous = node.Client();
        await ResolverNodeFixture.SendAsync(anonymous, HttpMethod.Put, "/api/v1/identifiers/links?id=" + id, """{"linkType":"gs1:recipeInfo","href":"https://example.com/r"}""", HttpStatusCode.Unauthorized);
        using var engineer = node.Client(node.EngineerToken);
        await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Put, "/api/v1/identifiers/links?id=" + id, """{"linkType":"gs1:recipeInfo"}""", HttpStatusCode.BadRequest);
        var other = Uri.EscapeDataString("https://example.com/01/09506000134369");
        await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Put, "/api/v1/identifiers/links?id=" + other, """{"linkType":"gs1:recipeInfo","href":"https://example.com/r","title":"Recipes"}""", HttpStatusCode.Created);
        using var redirect = await anonymous.GetAsync("/01/09506000134369?linkType=gs1:recipeInfo");
        Assert.Equal("https://example.com/r", redirect.Headers.Location?.ToString());
        var list = await ResolverNodeFixture.SendAsync(viewer, HttpMethod.Get, "/api/v1/identifiers/links?id=" + other);
        Assert.Equal("88.100.12/01/09506000134369", list.GetProperty("handle").GetString());
        await ResolverNodeFixture.SendAsync(engineer, HttpMethod.Delete, "/api/v1/identifiers/links?id=" + other + "&linkType=gs1:recipeInfo");
        using var gone = await anonymous.GetAsync("/01/09506000134369?linkType=gs1:recipeInfo");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }
}
