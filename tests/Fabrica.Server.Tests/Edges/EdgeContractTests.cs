using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace Fabrica.Server.Tests.Edges;

/// <summary>The platform side of the edge contract (issue 3): registration, device ownership, backfill, status.</summary>
[Collection(ServerCollection.Name)]
public sealed class EdgeContractTests(ServerFixture fixture)
{
    private async Task<(string Id, string Token)> NewEdgeAsync()
    {
        var id = $"edge-{Guid.NewGuid():N}"[..16];
        using var admin = fixture.AdminClient();
        using var response = await admin.PostAsJsonAsync("/api/v1/edges", new { id, name = "Line 2 gateway" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (id, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);
    }

    private async Task<IMqttClient> ConnectAsync(string user, string token)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", fixture.MqttPort)
            .WithClientId(user).WithCredentials(user, token).Build());
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    private static MqttApplicationMessage Message(string topic, string payload, bool retain = false) => new MqttApplicationMessageBuilder()
        .WithTopic(topic).WithPayload(payload).WithRetainFlag(retain).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    [Fact]
    public async Task An_edge_owns_the_devices_it_announces_and_nothing_registered_by_others()
    {
        var (edge, token) = await NewEdgeAsync();
        var (independent, _) = await fixture.NewDeviceAsync();
        using var client = await ConnectAsync(edge, token);
        var announced = $"{edge}.plc1";

        var ok = await client.PublishAsync(Message($"fabrica/devices/{announced}/telemetry", "{\"speed\": 12.5}"));
        Assert.Equal(MqttClientPublishReasonCode.Success, ok.ReasonCode);
        var refused = await client.PublishAsync(Message($"fabrica/devices/{independent}/telemetry", "{\"speed\": 1}"));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, refused.ReasonCode);

        using var admin = fixture.AdminClient();
        var view = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edge}");
        Assert.Equal([announced], view.GetProperty("devices").EnumerateArray().Select(d => d.GetString()!).ToArray());
        var device = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{announced}");
        Assert.Equal(edge, device.GetProperty("gatewayId").GetString());
        var latest = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{announced}/latest");
        Assert.Equal(12.5, latest.GetProperty("speed").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Backfill_is_stored_at_its_original_timestamps()
    {
        var (edge, token) = await NewEdgeAsync();
        using var client = await ConnectAsync(edge, token);
        var device = $"{edge}.meter";
        var hourAgo = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000;
        var result = await client.PublishAsync(Message($"fabrica/devices/{device}/telemetry/backfill",
            $"[{{\"ts\": {hourAgo}, \"values\": {{\"kwh\": 1.5}}}}, {{\"ts\": {hourAgo + 1000}, \"values\": {{\"kwh\": 1.75}}}}]"));
        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);

        using var admin = fixture.AdminClient();
        var stored = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{device}/telemetry?keys=kwh&from={hourAgo}&to={hourAgo + 2000}");
        Assert.Equal([hourAgo, hourAgo + 1000], stored.GetProperty("kwh").EnumerateArray().Select(p => p.GetProperty("ts").GetInt64()).ToArray());
    }

    [Fact]
    public async Task Edge_status_shows_in_the_api_and_going_offline_is_noticed()
    {
        var (edge, token) = await NewEdgeAsync();
        var (other, _) = await NewEdgeAsync();
        using (var client = await ConnectAsync(edge, token))
        {
            var status = await client.PublishAsync(Message($"fabrica/edges/{edge}/status", "{\"configVersion\": 3, \"bufferDepth\": 42}", retain: true));
            // Forwarded to the broker (retained); 16 "no matching subscribers" is a success code in MQTT 5.
            Assert.True(status.IsSuccess, status.ReasonCode.ToString());
            var spoof = await client.PublishAsync(Message($"fabrica/edges/{other}/status", "{\"configVersion\": 1}"));
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, spoof.ReasonCode);
            var own = await client.SubscribeAsync($"fabrica/edges/{edge}/config");
            Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS0, own.Items.Single().ResultCode);
            var foreign = await client.SubscribeAsync($"fabrica/edges/{other}/config");
            Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, foreign.Items.Single().ResultCode);

            using var admin = fixture.AdminClient();
            var view = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edge}");
            Assert.True(view.GetProperty("online").GetBoolean());
            Assert.Equal(42, view.GetProperty("status").GetProperty("bufferDepth").GetInt32());
            await client.DisconnectAsync();
        }

        using var again = fixture.AdminClient();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await again.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edge}")).GetProperty("online").GetBoolean() && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.False((await again.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edge}")).GetProperty("online").GetBoolean());
    }
}
