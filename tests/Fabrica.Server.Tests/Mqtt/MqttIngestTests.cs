using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Fabrica.Server.Tests.Mqtt;

[Collection(ServerCollection.Name)]
public sealed class MqttIngestTests(ServerFixture fixture)
{
    private async Task<IMqttClient> ConnectAsync(string user, string password, MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", fixture.MqttPort)
            .WithClientId($"{user}-{Guid.NewGuid():N}")
            .WithCredentials(user, password)
            .WithProtocolVersion(version)
            .Build());
        return client;
    }

    private static MqttApplicationMessage Message(string topic, string payload) => new MqttApplicationMessageBuilder()
        .WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    [Fact]
    public async Task Qos1_publish_is_acknowledged_and_readable_at_once()
    {
        var (id, token) = await fixture.NewDeviceAsync();
        using var client = await ConnectAsync(id, token);
        var result = await client.PublishAsync(Message($"fabrica/devices/{id}/telemetry", "{\"temperature\": 71.2, \"running\": true}"));
        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);

        using var admin = fixture.AdminClient();
        var latest = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{id}/latest");
        Assert.Equal(71.2, latest.GetProperty("temperature").GetProperty("value").GetDouble());
        Assert.True(latest.GetProperty("running").GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task Qos0_publish_is_stored_too()
    {
        var (id, token) = await fixture.NewDeviceAsync();
        using var client = await ConnectAsync(id, token);
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"fabrica/devices/{id}/telemetry")
            .WithPayload("{\"level\": 3.5}").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce).Build());

        // QoS 0 has no acknowledgement to wait for: poll the API until the sample is there.
        using var admin = fixture.AdminClient();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonElement latest;
        do
        {
            latest = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{id}/latest");
            if (latest.TryGetProperty("level", out _))
                break;
            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Equal(3.5, latest.GetProperty("level").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Wrong_token_is_refused_at_connect()
    {
        var (id, _) = await fixture.NewDeviceAsync();
        var (other, otherToken) = await fixture.NewDeviceAsync();
        using var client = new MqttClientFactory().CreateMqttClient();
        foreach (var (user, password) in new[] { (id, "fbd_not-the-token"), (id, otherToken), ("nobody", otherToken), (other, "") })
        {
            var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", fixture.MqttPort).WithCredentials(user, password).Build());
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, result.ResultCode);
            Assert.False(client.IsConnected);
        }
    }

    [Fact]
    public async Task Mqtt5_invalid_payload_gets_puback_0x99_and_an_error_report()
    {
        var (id, token) = await fixture.NewDeviceAsync();
        using var client = await ConnectAsync(id, token);
        var report = new TaskCompletionSource<string>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            report.TrySetResult(Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
            return Task.CompletedTask;
        };
        await client.SubscribeAsync($"fabrica/devices/{id}/errors", MqttQualityOfServiceLevel.AtLeastOnce);

        var result = await client.PublishAsync(Message($"fabrica/devices/{id}/telemetry", "{\"temperature\": }"));

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, result.ReasonCode);
        var json = JsonDocument.Parse(await report.Task.WaitAsync(TimeSpan.FromSeconds(10))).RootElement;
        Assert.Equal(id, json.GetProperty("device").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Mqtt311_invalid_payload_gets_a_normal_puback_and_the_error_on_its_topic()
    {
        var (id, token) = await fixture.NewDeviceAsync();
        using var client = await ConnectAsync(id, token, MqttProtocolVersion.V311);
        var report = new TaskCompletionSource<string>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            report.TrySetResult(Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
            return Task.CompletedTask;
        };
        await client.SubscribeAsync($"fabrica/devices/{id}/errors", MqttQualityOfServiceLevel.AtLeastOnce);

        var result = await client.PublishAsync(Message($"fabrica/devices/{id}/telemetry", "{\"ts\": 99999999999999999, \"values\": {\"x\": 1}}"));

        Assert.True(result.IsSuccess);
        Assert.Contains("timestamp", await report.Task.WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.OrdinalIgnoreCase);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_device_may_not_publish_or_subscribe_under_another_device()
    {
        var (id, token) = await fixture.NewDeviceAsync();
        var (other, _) = await fixture.NewDeviceAsync();
        using var client = await ConnectAsync(id, token);

        var publish = await client.PublishAsync(Message($"fabrica/devices/{other}/telemetry", "{\"x\": 1}"));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, publish.ReasonCode);

        var subscribe = await client.SubscribeAsync($"fabrica/devices/{other}/errors");
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, subscribe.Items.Single().ResultCode);
        var wildcard = await client.SubscribeAsync("fabrica/devices/+/errors");
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, wildcard.Items.Single().ResultCode);
    }
}
