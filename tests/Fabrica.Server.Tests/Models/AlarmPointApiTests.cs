using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Fabrica.Server.Tests.Models;

/// <summary>ISA-18.2 suppressed and out-of-service over REST: an engineer sets them, the alarm follows, an operator may not.</summary>
[Collection(ServerCollection.Name)]
public sealed class AlarmPointApiTests(ServerFixture fixture)
{
    [Fact]
    public async Task An_engineer_takes_an_alarm_point_out_of_service_and_back_and_an_operator_may_not()
    {
        using var admin = fixture.AdminClient();
        var (device, deviceToken) = await fixture.NewDeviceAsync("oos");
        var (_, type, machine) = await ModelApiTests.CreatePlantAsync(admin, device);
        var rule = "hot-" + type;
        ModelApiTests.Ok(await admin.PostAsJsonAsync("/api/v1/rules", new
        {
            id = rule, name = "Hot", assetType = type, scope = new[] { "temperature" },
            condition = new { kind = "threshold", tag = "temperature", raiseAbove = 80, clearBelow = 75 },
            actions = new object[] { new { kind = "alarm" } },
        }));
        using var deviceHttp = fixture.Client(deviceToken);
        ModelApiTests.Ok(await deviceHttp.PostAsync($"/api/v1/devices/{device}/telemetry", new StringContent("""{"temp": 91}""", Encoding.UTF8, "application/json")));
        var alarm = await WaitForAlarmAsync(admin, machine);
        using var operatorClient = fixture.Client(await fixture.NewApiTokenAsync("operator"));

        using var refused = await operatorClient.PostAsJsonAsync($"/api/v1/alarms/{alarm}/out-of-service", new { comment = "no" });
        using var taken = await admin.PostAsJsonAsync($"/api/v1/alarms/{alarm}/out-of-service", new { comment = "sensor under repair" });
        var closed = await taken.Content.ReadFromJsonAsync<JsonElement>();
        var points = await admin.GetFromJsonAsync<JsonElement>("/api/v1/alarms/points");
        using var back = await admin.PutAsJsonAsync($"/api/v1/alarms/points/{rule}/{machine}", new { mode = "inService", comment = "repaired" });
        using var unknown = await admin.PutAsJsonAsync($"/api/v1/alarms/points/no-rule/{machine}", new { mode = "suppressed" });
        using var badMode = await admin.PutAsync($"/api/v1/alarms/points/{rule}/{machine}", new StringContent("""{"mode": "asleep"}""", Encoding.UTF8, "application/json"));
        var history = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/alarms/history?alarm={alarm}");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Equal(("normal", "outOfService"), (closed.GetProperty("state").GetString(), closed.GetProperty("suppression").GetString()));
        var point = Assert.Single(points.EnumerateArray(), p => p.GetProperty("ruleId").GetString() == rule);
        Assert.Equal(("outOfService", "sensor under repair"), (point.GetProperty("mode").GetString(), point.GetProperty("comment").GetString()));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.BadRequest), (back.StatusCode, unknown.StatusCode, badMode.StatusCode));
        Assert.Equal(["raised", "out-of-service"], history.EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
        Assert.DoesNotContain((await admin.GetFromJsonAsync<JsonElement>("/api/v1/alarms/points")).EnumerateArray(), p => p.GetProperty("ruleId").GetString() == rule);
    }

    private static async Task<string> WaitForAlarmAsync(HttpClient client, string asset)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var alarms = await client.GetFromJsonAsync<JsonElement>($"/api/v1/alarms?asset={asset}");
            if (alarms.GetArrayLength() > 0)
                return alarms[0].GetProperty("id").GetString()!;
            Assert.True(DateTime.UtcNow < deadline, "no alarm was raised");
            await Task.Delay(50);
        }
    }
}
