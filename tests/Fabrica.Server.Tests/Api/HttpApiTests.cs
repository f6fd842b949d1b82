using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Fabrica.Server.Tests.Api;

[Collection(ServerCollection.Name)]
public sealed class HttpApiTests(ServerFixture fixture)
{
    [Fact]
    public async Task Healthz_is_public_and_everything_else_needs_a_token()
    {
        using var anonymous = fixture.Client();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/devices")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        using var forged = fixture.Client("fba_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/devices")).StatusCode);
    }

    [Fact]
    public async Task A_viewer_can_list_devices_but_not_register_one()
    {
        using var viewer = fixture.Client(await fixture.NewApiTokenAsync("viewer"));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/devices")).StatusCode);
        var response = await viewer.PostAsJsonAsync("/api/v1/devices", new { id = "not-allowed", name = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Registering_a_device_twice_is_a_conflict_and_a_bad_id_names_the_field()
    {
        var (id, _) = await fixture.NewDeviceAsync();
        using var admin = fixture.AdminClient();
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/v1/devices", new { id, name = "again" })).StatusCode);
        var bad = await admin.PostAsJsonAsync("/api/v1/devices", new { id = "has space", name = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").EnumerateObject().Any(), problem.ToString());
    }

    [Fact]
    public async Task Http_ingest_stores_and_queries_give_raw_latest_and_aggregates()
    {
        var (id, token) = await fixture.NewDeviceAsync();
        using var device = fixture.Client(token);
        var t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000 - 600_000;
        var body = new StringBuilder("[");
        for (var i = 0; i < 120; i++)
            body.Append(System.Globalization.CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ",")}{{\"ts\":{t0 + i * 5_000},\"values\":{{\"temperature\":{20 + i % 12},\"state\":\"s{i % 3}\"}}}}");
        body.Append(']');
        var post = await device.PostAsync($"/api/v1/devices/{id}/telemetry", new StringContent(body.ToString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(240, (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("samples").GetInt32());

        var raw = await device.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{id}/telemetry?keys=temperature&from={t0}&to={t0 + 600_000}");
        Assert.Equal(120, raw.GetProperty("temperature").GetArrayLength());

        var latest = await device.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{id}/latest");
        Assert.Equal(t0 + 119 * 5_000, latest.GetProperty("temperature").GetProperty("ts").GetInt64());
        Assert.Equal("s2", latest.GetProperty("state").GetProperty("value").GetString());

        // 12 samples per minute with values 20..31: avg 25.5, max 31, count 12, in each of 10 buckets.
        var avg = await device.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{id}/telemetry?keys=temperature&from={t0}&to={t0 + 600_000}&interval=1m&agg=avg");
        var buckets = avg.GetProperty("temperature").EnumerateArray().ToList();
        Assert.Equal(10, buckets.Count);
        Assert.All(buckets, b => Assert.Equal(25.5, b.GetProperty("value").GetDouble()));
        var count = await device.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{id}/telemetry?keys=temperature&from={t0}&to={t0 + 600_000}&interval=1m&agg=count");
        Assert.All(count.GetProperty("temperature").EnumerateArray(), b => Assert.Equal(12, b.GetProperty("value").GetInt64()));
    }

    [Fact]
    public async Task Series_listing_filters_by_device_and_tag_and_a_device_sees_only_its_own()
    {
        var (id, token) = await fixture.NewDeviceAsync();
        var (other, otherToken) = await fixture.NewDeviceAsync();
        using var device = fixture.Client(token);
        using var otherDevice = fixture.Client(otherToken);
        Assert.Equal(HttpStatusCode.OK, (await device.PostAsync($"/api/v1/devices/{id}/telemetry", new StringContent("{\"speed\": 1.5, \"mode\": \"auto\"}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await otherDevice.PostAsync($"/api/v1/devices/{other}/telemetry", new StringContent("{\"speed\": 2}", Encoding.UTF8, "application/json"))).StatusCode);

        using var admin = fixture.AdminClient();
        var mine = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/series?device={id}");
        Assert.Equal(new[] { "mode", "speed" }, mine.EnumerateArray().Select(s => s.GetProperty("tag").GetString()!).Order().ToArray());
        Assert.Equal("string", mine.EnumerateArray().Single(s => s.GetProperty("tag").GetString() == "mode").GetProperty("kind").GetString());
        var speeds = await admin.GetFromJsonAsync<JsonElement>("/api/v1/series?tag=speed");
        Assert.Contains(speeds.EnumerateArray(), s => s.GetProperty("device").GetString() == other);
        var seenByDevice = await device.GetFromJsonAsync<JsonElement>("/api/v1/series?tag=speed");
        Assert.All(seenByDevice.EnumerateArray(), s => Assert.Equal(id, s.GetProperty("device").GetString()));
    }

    [Fact]
    public async Task Invalid_http_payload_gets_a_problem_naming_the_field_and_stores_nothing()
    {
        var (id, token) = await fixture.NewDeviceAsync();
        using var device = fixture.Client(token);
        var post = await device.PostAsync($"/api/v1/devices/{id}/telemetry",
            new StringContent("{\"ts\": 1764480000000, \"values\": {\"good\": 1, \"bad\": null}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal("application/problem+json", post.Content.Headers.ContentType?.MediaType);
        var problem = await post.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("bad", problem.GetProperty("field").GetString(), StringComparison.Ordinal);
        var stored = await device.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{id}/telemetry?from=1764479000000&to=1764481000000");
        Assert.Empty(stored.EnumerateObject());
    }

    [Fact]
    public async Task A_device_token_cannot_publish_or_read_for_another_device()
    {
        var (_, token) = await fixture.NewDeviceAsync();
        var (other, _) = await fixture.NewDeviceAsync();
        using var device = fixture.Client(token);
        var post = await device.PostAsync($"/api/v1/devices/{other}/telemetry", new StringContent("{\"x\":1}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await device.GetAsync($"/api/v1/devices/{other}/latest")).StatusCode);
    }

    [Theory]
    [InlineData("interval=5x", "interval")]
    [InlineData("interval=1m&agg=median", "agg")]
    [InlineData("from=yesterday", "from")]
    [InlineData("limit=0", "limit")]
    [InlineData("from=2000&to=1000", "from")]
    public async Task Bad_query_parameters_get_a_validation_problem_naming_the_parameter(string query, string parameter)
    {
        var (id, _) = await fixture.NewDeviceAsync();
        using var admin = fixture.AdminClient();
        var response = await admin.GetAsync($"/api/v1/devices/{id}/telemetry?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task Openapi_document_describes_the_device_routes()
    {
        using var anonymous = fixture.Client();
        var doc = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/devices/{deviceId}/telemetry", out var telemetry));
        Assert.True(telemetry.TryGetProperty("get", out _));
        Assert.True(telemetry.TryGetProperty("post", out _));
        Assert.Equal("bearer", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.True(telemetry.GetProperty("get").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task Metrics_are_exported_in_prometheus_text_format()
    {
        var (id, token) = await fixture.NewDeviceAsync();
        using var device = fixture.Client(token);
        await device.PostAsync($"/api/v1/devices/{id}/telemetry", new StringContent("{\"x\": 1}", Encoding.UTF8, "application/json"));
        using var viewer = fixture.Client(await fixture.NewApiTokenAsync("viewer"));
        var text = await viewer.GetStringAsync("/metrics");
        Assert.Contains("fabrica_ingest_samples", text, StringComparison.Ordinal);
    }
}
