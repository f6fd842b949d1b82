using System.Buffers;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fabrica.Server.Mqtt;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace Fabrica.Server.Tests.Models;

[Collection(ServerCollection.Name)]
public sealed class ThingDescriptionTests(ServerFixture fixture)
{
    [Fact]
    public async Task An_asset_is_a_thing_description_whose_forms_read_its_twin_and_invoke_its_commands()
    {
        using var admin = fixture.AdminClient();
        var (device, token) = await fixture.NewDeviceAsync("td");
        var (_, _, machine) = await ModelApiTests.CreatePlantAsync(admin, device);
        using var deviceHttp = fixture.Client(token);
        ModelApiTests.Ok(await deviceHttp.PostAsync($"/api/v1/devices/{device}/telemetry", new StringContent("""{"temp": 64.5}""", Encoding.UTF8, "application/json")));

        using var response = await admin.GetAsync($"/api/v1/assets/{machine}/td");
        var td = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("application/td+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("https://www.w3.org/2022/wot/td/v1.1", td.GetProperty("@context").GetString());
        Assert.Equal("bearer", td.GetProperty("securityDefinitions").GetProperty("bearer_sc").GetProperty("scheme").GetString());
        var temperature = td.GetProperty("properties").GetProperty("temperature");
        Assert.Equal(("number", "Cel"), (temperature.GetProperty("type").GetString(), temperature.GetProperty("unit").GetString()));
        var setSpeed = td.GetProperty("actions").GetProperty("setSpeed");
        Assert.Equal(24000, setSpeed.GetProperty("input").GetProperty("properties").GetProperty("rpm").GetProperty("maximum").GetDouble());

        // A generic client follows the forms relative to "base".
        var baseUri = new Uri(td.GetProperty("base").GetString()!);
        var read = await admin.GetStringAsync(new Uri(baseUri, temperature.GetProperty("forms")[0].GetProperty("href").GetString()));
        var vendor = await admin.GetStringAsync(new Uri(baseUri, td.GetProperty("properties").GetProperty("vendor").GetProperty("forms")[0].GetProperty("href").GetString()));
        Assert.Equal("64.5", read);
        Assert.Equal("\"DMG Mori\"", vendor);
        using var invoke = await admin.PostAsJsonAsync(new Uri(baseUri, setSpeed.GetProperty("forms")[0].GetProperty("href").GetString()), new { rpm = 100 });
        Assert.Equal("failed", (await invoke.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()); // nobody listens
    }

    /// <summary>What the ingest bridge does with a device's MQTT answer once it routes …/commands/{id}/result.</summary>
    [Fact]
    public async Task A_result_published_by_the_device_completes_its_command()
    {
        using var admin = fixture.AdminClient();
        var (device, token) = await fixture.NewDeviceAsync("res");
        var channel = fixture.Server.Services.GetRequiredService<MqttCommandChannel>();
        var client = new MqttClientFactory().CreateMqttClient();
        string? commandTopic = null;
        client.ApplicationMessageReceivedAsync += e =>
        {
            commandTopic = e.ApplicationMessage.Topic;
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", fixture.MqttPort).WithCredentials(device, token).Build());
        await client.SubscribeAsync($"fabrica/devices/{device}/commands/+", MqttQualityOfServiceLevel.AtLeastOnce);
        using var operatorClient = fixture.Client(await fixture.NewApiTokenAsync("operator"));
        using var sent = await operatorClient.PostAsJsonAsync($"/api/v1/devices/{device}/commands", new { name = "ping", args = new { n = 1 } });
        var id = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        Assert.True(MqttCommandChannel.TryParseResultTopic($"fabrica/devices/{device}/commands/{id}/result", out var parsedDevice, out var parsedId));
        Assert.Equal((device, id), (parsedDevice, parsedId));
        Assert.False(MqttCommandChannel.TryParseResultTopic($"fabrica/devices/{device}/commands/{id}", out _, out _));
        Assert.False(await channel.AcceptResultAsync(device, id, new ReadOnlySequence<byte>("not json"u8.ToArray())));
        Assert.True(await channel.AcceptResultAsync(device, id, new ReadOnlySequence<byte>("""{"ok": true, "result": "pong"}"""u8.ToArray())));

        var command = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/commands/{id}");
        Assert.Equal(("succeeded", "pong"), (command.GetProperty("status").GetString(), command.GetProperty("result").GetString()));
        Assert.Equal($"fabrica/devices/{device}/commands/{id}", commandTopic);
        await client.DisconnectAsync();
    }

    [Fact]
    public async Task An_operator_shelves_and_unshelves_an_alarm_and_an_unknown_alarm_is_not_found()
    {
        using var admin = fixture.AdminClient();
        var (device, token) = await fixture.NewDeviceAsync("shelf");
        var (_, type, machine) = await ModelApiTests.CreatePlantAsync(admin, device);
        ModelApiTests.Ok(await admin.PostAsJsonAsync("/api/v1/rules", new
        {
            id = "hot-" + machine, name = "Hot", asset = machine, scope = new[] { "temperature" },
            condition = new { kind = "threshold", tag = "temperature", raiseAbove = 80 }, actions = new[] { new { kind = "alarm" } },
        }));
        using var deviceHttp = fixture.Client(token);
        ModelApiTests.Ok(await deviceHttp.PostAsync($"/api/v1/devices/{device}/telemetry", new StringContent("""{"temp": 99}""", Encoding.UTF8, "application/json")));
        JsonElement alarms;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            alarms = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/alarms?asset={machine}");
            await Task.Delay(25);
        }
        while (alarms.GetArrayLength() == 0 && DateTime.UtcNow < deadline);
        var id = alarms[0].GetProperty("id").GetString()!;
        using var operatorClient = fixture.Client(await fixture.NewApiTokenAsync("operator"));

        using var tooLong = await operatorClient.PostAsJsonAsync($"/api/v1/alarms/{id}/shelve", new { comment = "x", duration = "3d" });
        using var shelved = await operatorClient.PostAsJsonAsync($"/api/v1/alarms/{id}/shelve", new { comment = "sensor swap", duration = "30m" });
        var hidden = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/alarms?asset={machine}&shelved=false");
        using var unshelved = await operatorClient.PostAsJsonAsync($"/api/v1/alarms/{id}/unshelve", new { comment = "done" });
        using var unknown = await operatorClient.PostAsJsonAsync("/api/v1/alarms/al000000/ack", new { comment = "?" });

        Assert.Equal(HttpStatusCode.Conflict, tooLong.StatusCode);
        Assert.Equal("sensor swap", (await shelved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shelveComment").GetString());
        Assert.Equal(0, hidden.GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, unshelved.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(type, (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/assets/{machine}")).GetProperty("type").GetString());
    }
}
