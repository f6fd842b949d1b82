using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace Fabrica.Server.Tests.Models;

/// <summary>
/// The production loop with no human in it, over the real path: a test device on real MQTT reports an overheating
/// motor; a rule raises a priority-1 alarm and sends a command that lowers the speed; the device applies it and
/// answers; the temperature falls; the alarm returns to normal once the operator has acknowledged it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ProductionLoopTests(ServerFixture fixture)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private async Task<IMqttClient> ConnectDeviceAsync(string id, string token, Func<MqttApplicationMessageReceivedEventArgs, Task> onMessage)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += onMessage;
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", fixture.MqttPort)
            .WithClientId($"{id}-{Guid.NewGuid():N}").WithCredentials(id, token).Build());
        var subscribed = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"fabrica/devices/{id}/commands/+", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(subscribed.Items).ResultCode);
        return client;
    }

    private static Task PublishAsync(IMqttClient client, string device, string json) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"fabrica/devices/{device}/telemetry")
            .WithPayload(json).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    private static async Task<JsonElement> PollAsync(HttpClient client, string url, Func<JsonElement, bool> until)
    {
        var deadline = DateTime.UtcNow + Patience;
        JsonElement last;
        do
        {
            last = await client.GetFromJsonAsync<JsonElement>(url);
            if (until(last))
                return last;
            await Task.Delay(25);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"{url} never became what the test waits for; last: {last.GetRawText()}");
        return last;
    }

    [Fact]
    public async Task Overheating_raises_a_priority_1_alarm_whose_command_slows_the_machine_and_the_alarm_closes_after_acknowledgement()
    {
        using var admin = fixture.AdminClient();
        var (device, deviceToken) = await fixture.NewDeviceAsync("mill");
        var (_, type, machine) = await ModelApiTests.CreatePlantAsync(admin, device);
        var rule = "overheat-" + type;
        ModelApiTests.Ok(await admin.PostAsJsonAsync("/api/v1/rules", new
        {
            id = rule,
            name = "Spindle overheating",
            assetType = type,
            scope = new[] { "temperature", "speed_setpoint" },
            condition = new { kind = "threshold", tag = "temperature", raiseAbove = 80, clearBelow = 75 },
            priority = 1,
            actions = new object[]
            {
                new { kind = "alarm", message = "Spindle above 80 °C" },
                new { kind = "writeTag", tag = "speed_setpoint", value = "speed_setpoint * 0.7" },
            },
        }, Web));

        var commands = new TaskCompletionSource<(string Id, JsonElement Body)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var mqtt = await ConnectDeviceAsync(device, deviceToken, e =>
        {
            var id = e.ApplicationMessage.Topic.Split('/')[^1];
            commands.TrySetResult((id, JsonDocument.Parse(Encoding.UTF8.GetString(e.ApplicationMessage.Payload)).RootElement.Clone()));
            return Task.CompletedTask;
        });

        await PublishAsync(mqtt, device, """{"sp": 1500, "temp": 60.0}""");
        var hotAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await PublishAsync(mqtt, device, $$$"""{"ts": {{{hotAt}}}, "values": {"temp": 86.5, "voltage": 400, "current": 12}}""");

        // The rule raised a priority-1 alarm within a second of the hot sample, on the times the platform recorded.
        var alarms = await PollAsync(admin, $"/api/v1/alarms?asset={machine}", a => a.GetArrayLength() == 1);
        var alarm = alarms[0];
        var alarmId = alarm.GetProperty("id").GetString()!;
        Assert.Equal(("activeUnacknowledged", 1, rule), (alarm.GetProperty("state").GetString(), alarm.GetProperty("priority").GetInt32(), alarm.GetProperty("ruleId").GetString()));
        var raised = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/alarms/history?alarm={alarmId}"))[0];
        Assert.Equal("raised", raised.GetProperty("kind").GetString());
        Assert.InRange(raised.GetProperty("time").GetInt64() - hotAt, 0, 1000);

        // Its action reached the device over MQTT: write 70 % of the speed set-point to the bound device tag.
        var (commandId, command) = await commands.Task.WaitAsync(Patience);
        Assert.Equal(("writeTag", "sp"), (command.GetProperty("name").GetString(), command.GetProperty("args").GetProperty("tag").GetString()));
        Assert.Equal(1050, command.GetProperty("args").GetProperty("value").GetDouble(), 6);
        await PollAsync(admin, $"/api/v1/commands/{commandId}", c => c.GetProperty("status").GetString() == "delivered");

        // The device applies it and answers over MQTT on …/commands/{id}/result.
        var answered = await mqtt.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic($"fabrica/devices/{device}/commands/{commandId}/result")
            .WithPayload("""{"ok": true, "result": {"sp": 1050}}""")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientPublishReasonCode.Success, answered.ReasonCode);
        var done = await PollAsync(admin, $"/api/v1/commands/{commandId}", c => c.GetProperty("status").GetString() == "succeeded");
        Assert.Equal(("succeeded", $"rule:{rule}"), (done.GetProperty("status").GetString(), done.GetProperty("actor").GetString()));
        var byRule = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/commands?device={device}&actor=rule:{rule}&from={hotAt - 1000}");
        Assert.Equal((commandId, "succeeded"), (Assert.Single(byRule.EnumerateArray()).GetProperty("id").GetString(), byRule[0].GetProperty("status").GetString()));
        using var badLimit = await admin.GetAsync("/api/v1/commands?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);

        // The machine cools down: the alarm returns to normal, still unacknowledged; the twin shows the new state.
        await PublishAsync(mqtt, device, $$"""{"temp": 71.0, "sp": 1050}""");
        await PollAsync(admin, $"/api/v1/alarms/{alarmId}", a => a.GetProperty("state").GetString() == "clearedUnacknowledged");
        var twin = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/assets/{machine}/twin");
        Assert.Equal(71.0, twin.GetProperty("values").GetProperty("temperature").GetProperty("value").GetDouble());
        Assert.Equal(4.8, twin.GetProperty("values").GetProperty("power").GetProperty("value").GetDouble(), 9);
        Assert.True(twin.GetProperty("values").GetProperty("power").GetProperty("computed").GetBoolean());

        // A viewer may not acknowledge; the operator does, with a comment, and the alarm's life is complete.
        using var viewer = fixture.Client(await fixture.NewApiTokenAsync("viewer"));
        using var refused = await viewer.PostAsJsonAsync($"/api/v1/alarms/{alarmId}/ack", new { comment = "seen" }, Web);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var operatorClient = fixture.Client(await fixture.NewApiTokenAsync("operator"));
        using var acked = await operatorClient.PostAsJsonAsync($"/api/v1/alarms/{alarmId}/ack", new { comment = "coolant flow restored" }, Web);
        ModelApiTests.Ok(acked);
        var closed = await acked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("normal", closed.GetProperty("state").GetString());
        Assert.StartsWith("test-operator (token:", closed.GetProperty("acknowledgedBy").GetString(), StringComparison.Ordinal);
        var history = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/alarms/history?alarm={alarmId}");
        Assert.Equal(["raised", "cleared", "acknowledged"], history.EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>($"/api/v1/alarms?asset={machine}")).EnumerateArray());
        await mqtt.DisconnectAsync();
    }

    [Fact]
    public async Task An_asset_command_is_validated_delivered_over_mqtt_and_waited_for()
    {
        using var admin = fixture.AdminClient();
        var (device, deviceToken) = await fixture.NewDeviceAsync("mill");
        var (_, _, machine) = await ModelApiTests.CreatePlantAsync(admin, device);
        using var operatorClient = fixture.Client(await fixture.NewApiTokenAsync("operator"));
        using var deviceHttp = fixture.Client(deviceToken);

        using var invalid = await operatorClient.PostAsJsonAsync($"/api/v1/assets/{machine}/commands/setSpeed", new { rpm = 99_000 }, Web);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("above the maximum 24000", (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("args.rpm")[0].GetString(), StringComparison.Ordinal);

        using var offline = await operatorClient.PostAsJsonAsync($"/api/v1/assets/{machine}/commands/setSpeed", new { rpm = 900 }, Web);
        Assert.Equal("failed", (await offline.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        using var mqtt = await ConnectDeviceAsync(device, deviceToken, async e =>
        {
            var id = e.ApplicationMessage.Topic.Split('/')[^1];
            using var reply = await deviceHttp.PostAsJsonAsync($"/api/v1/devices/{device}/commands/{id}/result", new { ok = false, error = "spindle locked" }, Web);
        });
        using var waited = await operatorClient.PostAsJsonAsync($"/api/v1/assets/{machine}/commands/setSpeed?wait=10s", new { rpm = 900 }, Web);
        var result = await waited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, waited.StatusCode);
        Assert.Equal(("failed", "spindle locked", device), (result.GetProperty("status").GetString(), result.GetProperty("error").GetString(), result.GetProperty("device").GetString()));

        using var accepted = await operatorClient.PostAsJsonAsync($"/api/v1/devices/{device}/commands", new { name = "ping" }, Web);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.StartsWith("/api/v1/commands/", accepted.Headers.Location!.OriginalString, StringComparison.Ordinal);
        await mqtt.DisconnectAsync();
    }

    [Fact]
    public async Task Only_the_device_itself_may_answer_its_commands()
    {
        var (device, _) = await fixture.NewDeviceAsync("mill");
        var (_, otherToken) = await fixture.NewDeviceAsync("other");
        using var other = fixture.Client(otherToken);

        using var response = await other.PostAsJsonAsync($"/api/v1/devices/{device}/commands/cm0123/result", new { ok = true }, Web);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
