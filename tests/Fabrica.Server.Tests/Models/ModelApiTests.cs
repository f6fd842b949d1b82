using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Fabrica.Server.Tests.Models;

[Collection(ServerCollection.Name)]
public sealed class ModelApiTests(ServerFixture fixture)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>A type and a small tree under a unique enterprise, so tests sharing the server do not collide.</summary>
    internal static async Task<(string Root, string Type, string Machine)> CreatePlantAsync(HttpClient admin, string device)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (root, type, machine) = ($"acme-{suffix}", $"mill-{suffix}", $"cnc-{suffix}");
        Ok(await admin.PostAsJsonAsync("/api/v1/asset-types", new
        {
            id = type,
            name = "CNC mill",
            tags = new object[]
            {
                new { name = "temperature", unit = "Cel" },
                new { name = "speed_setpoint", unit = "1/min" },
                new { name = "voltage", unit = "V" },
                new { name = "current", unit = "A" },
                new { name = "power", unit = "kW", expression = "voltage * current / 1000" },
            },
            attributes = new object[] { new { name = "vendor", required = true } },
            commands = new object[] { new { name = "setSpeed", arguments = new object[] { new { name = "rpm", type = "number", min = 0, max = 24000 } }, timeout = "10s" } },
        }, Web));
        Ok(await admin.PostAsJsonAsync("/api/v1/assets", new { id = root, level = "enterprise" }, Web));
        Ok(await admin.PostAsJsonAsync("/api/v1/assets", new { id = $"plant-{suffix}", key = "plant-1", level = "site", parent = root }, Web));
        Ok(await admin.PostAsJsonAsync("/api/v1/assets", new { id = $"line-{suffix}", key = "line-2", level = "line", parent = $"plant-{suffix}" }, Web));
        Ok(await admin.PostAsJsonAsync("/api/v1/assets", new
        {
            id = machine,
            key = "cnc-3",
            name = "CNC 3",
            level = "equipment",
            parent = $"line-{suffix}",
            type,
            attributes = new { vendor = "DMG Mori" },
            bindings = new Dictionary<string, object>
            {
                ["temperature"] = new { device, tag = "temp", unit = "Cel" },
                ["speed_setpoint"] = new { device, tag = "sp" },
                ["voltage"] = new { device },
                ["current"] = new { device },
            },
        }, Web));
        return (root, type, machine);
    }

    internal static void Ok(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            Assert.Fail($"{(int)response.StatusCode}: {response.Content.ReadAsStringAsync().Result}");
    }

    [Fact]
    public async Task Assets_are_listed_by_subtree_path_with_their_paths()
    {
        using var admin = fixture.AdminClient();
        var (root, _, machine) = await CreatePlantAsync(admin, "plc-x");

        var subtree = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/assets?path={root}/plant-1");
        var one = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/assets/{machine}");

        Assert.Equal([$"{root}/plant-1", $"{root}/plant-1/line-2", $"{root}/plant-1/line-2/cnc-3"],
            subtree.EnumerateArray().Select(a => a.GetProperty("path").GetString()));
        Assert.Equal($"{root}/plant-1/line-2/cnc-3", one.GetProperty("path").GetString());
        Assert.Equal("equipment", one.GetProperty("level").GetString());
        using var missing = await admin.GetAsync($"/api/v1/assets?path={root}/nowhere");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task An_invalid_asset_is_an_rfc_9457_problem_naming_the_field_and_the_asset_path()
    {
        using var admin = fixture.AdminClient();
        var (root, type, _) = await CreatePlantAsync(admin, "plc-y");

        using var response = await admin.PostAsJsonAsync("/api/v1/assets", new
        {
            id = $"{root}-cnc-9",
            key = "cnc-9",
            parent = root,
            type = type + "-typo",
        }, Web);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Contains($"asset '{root}/cnc-9': unknown asset type '{type}-typo'", errors.GetProperty($"assets['{root}-cnc-9'].type")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unit_mismatch_and_a_malformed_body_are_refused_naming_the_field()
    {
        using var admin = fixture.AdminClient();
        var (_, type, machine) = await CreatePlantAsync(admin, "plc-z");
        var asset = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/assets/{machine}");

        using var mismatch = await admin.PutAsync($"/api/v1/assets/{machine}", new StringContent(
            asset.GetRawText().Replace("\"unit\":\"Cel\"", "\"unit\":\"[degF]\"", StringComparison.Ordinal), Encoding.UTF8, "application/json"));
        using var malformed = await admin.PostAsync("/api/v1/asset-types", new StringContent($$"""{"id": "{{type}}-2", "name": "x", "tags": [{"name": "t", "type": "decimal"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Contains("unit mismatch", await mismatch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var problem = await malformed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("$.tags[0].type", out _), problem.GetRawText());
    }

    [Fact]
    public async Task Rules_are_validated_per_type_and_can_be_disabled_and_enabled()
    {
        using var admin = fixture.AdminClient();
        var (_, type, _) = await CreatePlantAsync(admin, "plc-r");
        var id = "hot-" + type;

        using var bad = await admin.PostAsJsonAsync("/api/v1/rules", new
        {
            id, name = "Hot", assetType = type, scope = new[] { "temprature" },
            condition = new { kind = "threshold", tag = "temprature", raiseAbove = 80 }, actions = new[] { new { kind = "alarm" } },
        }, Web);
        Ok(await admin.PostAsJsonAsync("/api/v1/rules", new
        {
            id, name = "Hot", assetType = type, scope = new[] { "temperature" },
            condition = new { kind = "threshold", tag = "temperature", raiseAbove = 80 }, actions = new[] { new { kind = "alarm" } },
        }, Web));
        using var disabled = await admin.PostAsync($"/api/v1/rules/{id}/disable", null);
        var listed = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/rules?assetType={type}");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains($"rule '{id}' on asset type '{type}': unknown tag 'temprature'", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False((await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        Assert.Equal(type, Assert.Single(listed.EnumerateArray()).GetProperty("assetType").GetString());
    }

    [Fact]
    public async Task Viewers_read_the_model_but_only_engineers_change_it()
    {
        var viewer = await fixture.NewApiTokenAsync("viewer");
        using var client = fixture.Client(viewer);

        using var read = await client.GetAsync("/api/v1/model");
        using var write = await client.PostAsJsonAsync("/api/v1/assets", new { id = "x-" + Guid.NewGuid().ToString("N")[..6] }, Web);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }

    [Fact]
    public async Task The_whole_model_exports_and_imports_as_one_document_and_a_broken_import_changes_nothing()
    {
        using var admin = fixture.AdminClient();
        await CreatePlantAsync(admin, "plc-e");
        var exported = await admin.GetStringAsync("/api/v1/model");

        using var broken = await admin.PutAsync("/api/v1/model", new StringContent(
            exported.Replace("\"level\":\"site\"", "\"level\":\"cell\"", StringComparison.Ordinal), Encoding.UTF8, "application/json"));
        using var reimported = await admin.PutAsync("/api/v1/model", new StringContent(exported, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("a child's level must lie below its parent's", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, reimported.StatusCode);
        Assert.Equal(exported, await admin.GetStringAsync("/api/v1/model"));
    }
}
