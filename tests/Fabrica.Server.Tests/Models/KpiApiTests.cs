using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fabrica.Platform.Analytics;
using Microsoft.Extensions.DependencyInjection;

namespace Fabrica.Server.Tests.Models;

/// <summary>
/// <c>GET /api/v1/assets/{id}/kpis</c> and <c>/telemetry</c> over real HTTP: a shift of run-state and counter samples
/// ingested through the device API, KPIs computed over the site's calendar, then stored as series and read back.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class KpiApiTests(ServerFixture fixture)
{
    private const long Minute = 60_000;

    [Fact]
    public async Task A_shift_of_ingested_run_state_and_counters_gives_oee_mtbf_mttr_and_energy_per_good_part_stored_as_series()
    {
        using var admin = fixture.AdminClient();
        var (device, token) = await fixture.NewDeviceAsync("kpi");
        var s = Guid.NewGuid().ToString("N")[..8];
        ModelApiTests.Ok(await admin.PostAsJsonAsync("/api/v1/asset-types", new
        {
            id = $"press-{s}", name = "Press",
            tags = new object[] { new { name = "running", type = "boolean" }, new { name = "parts" }, new { name = "rejects" }, new { name = "energy", unit = "kWh" } },
            kpis = new { runState = "running", totalCount = "parts", rejectCount = "rejects", idealCycleTime = "1s", energy = "energy" },
        }));
        var calendar = new { timeZone = "UTC", shifts = new[] { new { name = "day", start = "06:00", end = "14:00", breaks = new[] { new { start = "10:00", end = "10:30" } } } } };
        ModelApiTests.Ok(await admin.PostAsJsonAsync("/api/v1/assets", new { id = $"site-{s}", level = "site", calendar }));
        ModelApiTests.Ok(await admin.PostAsJsonAsync("/api/v1/assets", new
        {
            id = $"press-{s}", parent = $"site-{s}", type = $"press-{s}",
            bindings = new { running = new { device }, parts = new { device }, rejects = new { device }, energy = new { device, tag = "kwh" } },
        }));
        // Yesterday's day shift: a 30-minute breakdown from minute 100, stopped for the break (minutes 240–270).
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(6), TimeSpan.Zero).ToUnixTimeMilliseconds();
        var points = new List<object>
        {
            new { ts = start, values = new Dictionary<string, object> { ["running"] = true, ["parts"] = 50_000, ["rejects"] = 900, ["kwh"] = 7_000.0 } },
            new { ts = start + 100 * Minute, values = new Dictionary<string, object> { ["running"] = false } },
            new { ts = start + 130 * Minute, values = new Dictionary<string, object> { ["running"] = true } },
            new { ts = start + 240 * Minute, values = new Dictionary<string, object> { ["running"] = false } },
            new { ts = start + 270 * Minute, values = new Dictionary<string, object> { ["running"] = true } },
            new { ts = start + 480 * Minute, values = new Dictionary<string, object> { ["parts"] = 71_000, ["rejects"] = 1_110, ["kwh"] = 7_415.8 } },
        };
        using var deviceHttp = fixture.Client(token);
        ModelApiTests.Ok(await deviceHttp.PostAsync($"/api/v1/devices/{device}/telemetry", new StringContent(JsonSerializer.Serialize(points), Encoding.UTF8, "application/json")));

        var shift = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/assets/press-{s}/kpis?from={start}&to={start + 480 * Minute}&per=shift");
        var day = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/assets/site-{s}/kpis?from={start}&to={start + 1}&per=day");

        var p = Assert.Single(shift.GetProperty("periods").EnumerateArray());
        Assert.Equal(("day", true, 450 * Minute, 420 * Minute), (p.GetProperty("name").GetString(), p.GetProperty("complete").GetBoolean(), p.GetProperty("plannedTime").GetInt64(), p.GetProperty("runTime").GetInt64()));
        Assert.Equal((21_000.0, 20_790.0), (p.GetProperty("totalCount").GetDouble(), p.GetProperty("goodCount").GetDouble()));
        Assert.Equal(420.0 / 450, p.GetProperty("availability").GetDouble(), 9);
        Assert.Equal(21_000.0 / (420 * 60), p.GetProperty("performance").GetDouble(), 9);
        Assert.Equal(0.99, p.GetProperty("quality").GetDouble(), 9);
        Assert.Equal(420.0 / 450 * 21_000 / (420 * 60) * 0.99, p.GetProperty("oee").GetDouble(), 9);
        Assert.Equal((1, 420 * Minute, 30 * Minute), (p.GetProperty("stops").GetInt32(), p.GetProperty("mtbf").GetInt64(), p.GetProperty("mttr").GetInt64()));
        Assert.Equal(415.8 / 20_790, p.GetProperty("energyPerGoodPart").GetDouble(), 9);
        var d = Assert.Single(day.GetProperty("periods").EnumerateArray());
        Assert.Equal((1, p.GetProperty("oee").GetDouble()), (d.GetProperty("equipment").GetInt32(), d.GetProperty("oee").GetDouble()));

        // The asset's own tags read like a device's, by their asset names; ended periods become KPI series.
        var telemetry = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/assets/press-{s}/telemetry?keys=parts,energy&from={start}&to={start + 481 * Minute}");
        Assert.Equal([50_000.0, 71_000.0], telemetry.GetProperty("parts").EnumerateArray().Select(x => x.GetProperty("value").GetDouble()));
        Assert.Equal(7_415.8, telemetry.GetProperty("energy")[1].GetProperty("value").GetDouble());
        await fixture.Server.Services.GetRequiredService<KpiRecorder>().RecordAsync(start, start + 480 * Minute);
        var stored = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/assets/press-{s}/telemetry?from={start}&to={start + 1}");
        Assert.Equal(p.GetProperty("oee").GetDouble(), stored.GetProperty("kpi.shift.oee")[0].GetProperty("value").GetDouble(), 9);
        Assert.Equal(start, stored.GetProperty("kpi.shift.oee")[0].GetProperty("ts").GetInt64());
        Assert.True(stored.TryGetProperty("running", out _));
    }

    [Fact]
    public async Task A_kpi_query_on_an_asset_without_kpis_or_with_a_bad_grouping_is_a_problem_naming_it()
    {
        using var admin = fixture.AdminClient();
        var (root, _, machine) = await ModelApiTests.CreatePlantAsync(admin, "plc-kpi");

        using var none = await admin.GetAsync($"/api/v1/assets/{machine}/kpis");
        using var week = await admin.GetAsync($"/api/v1/assets/{machine}/kpis?per=week");
        using var missing = await admin.GetAsync("/api/v1/assets/no-such-asset/kpis");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.NotFound), (none.StatusCode, week.StatusCode, missing.StatusCode));
        Assert.Contains($"'{root}/plant-1/line-2/cnc-3' has no KPIs", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Use shift or day.", await week.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
