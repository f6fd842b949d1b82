using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace Fabrica.Server.Tests.Edges;

/// <summary>
/// Rules pushed to an edge (issue 3, scope 4): <c>PUT /api/v1/edges/{id}/rules</c> validates and versions them and
/// the platform publishes them retained on the edge's config topic, which only that edge may read; edge events are
/// accepted from the edge itself and kept.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class EdgeRulesApiTests(ServerFixture fixture)
{
    private const string Relief = """
        {"rules": [{"id": "relief", "name": "Pressure relief", "scope": ["pressure"],
          "condition": {"kind": "threshold", "tag": "pressure", "raiseAbove": 100, "clearBelow": 80},
          "actions": [{"kind": "writeTag", "tag": "relief", "value": "true"}, {"kind": "emitEvent", "target": "mqtt", "on": "both"}]}]}
        """;

    private async Task<(string Id, string Token)> NewEdgeAsync()
    {
        var id = $"edge-{Guid.NewGuid():N}"[..16];
        using var admin = fixture.AdminClient();
        using var response = await admin.PostAsJsonAsync("/api/v1/edges", new { id, name = id });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (id, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);
    }

    private async Task<IMqttClient> ConnectAsync(string user, string token)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", fixture.MqttPort)
            .WithClientId(user + "-" + Guid.NewGuid().ToString("N")[..6]).WithCredentials(user, token).Build());
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    private static async Task<HttpResponseMessage> PutRulesAsync(HttpClient http, string edge, string body) =>
        await http.PutAsync($"/api/v1/edges/{edge}/rules", new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Pushed_rules_get_a_new_version_each_time_and_reach_the_edge_retained()
    {
        var (edge, token) = await NewEdgeAsync();
        using var engineer = fixture.Client(await fixture.NewApiTokenAsync("engineer"));

        using (var first = await PutRulesAsync(engineer, edge, Relief))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("1", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetString());
        }
        using var second = await PutRulesAsync(engineer, edge, Relief);
        var stored = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("2", stored.GetProperty("version").GetString());
        // The default event topic is filled in, so the edge and the platform agree on it.
        Assert.Equal($"fabrica/edges/{edge}/events", stored.GetProperty("rules")[0].GetProperty("actions")[1].GetProperty("topic").GetString());

        // The edge subscribes after the push and still gets the current version: it is retained.
        using var client = await ConnectAsync(edge, token);
        var received = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult(JsonDocument.Parse(e.ApplicationMessage.Payload).RootElement.Clone());
            return Task.CompletedTask;
        };
        await client.SubscribeAsync($"fabrica/edges/{edge}/config", MqttQualityOfServiceLevel.AtLeastOnce);
        var config = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("2", config.GetProperty("version").GetString());
        Assert.Equal("relief", config.GetProperty("rules")[0].GetProperty("id").GetString());

        using var viewer = fixture.Client(await fixture.NewApiTokenAsync("viewer"));
        var current = await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edge}/rules");
        Assert.Equal("2", current.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Invalid_rules_are_refused_with_errors_that_name_the_rule_and_the_problem()
    {
        var (edge, _) = await NewEdgeAsync();
        using var admin = fixture.AdminClient();

        using var response = await PutRulesAsync(admin, edge, """
            {"rules": [
              {"id": "ok", "name": "Fine", "scope": ["pressure"], "condition": {"kind": "threshold", "tag": "pressure", "raiseAbove": 1}, "actions": []},
              {"id": "alarming", "name": "Alarm", "scope": ["pressure"], "condition": {"kind": "threshold", "tag": "temperature", "raiseAbove": 1},
               "actions": [{"kind": "alarm"}]}]}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Contains("rule 'alarming'", errors.GetProperty("rules[1].condition.tag")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("not in the rule's scope", errors.GetProperty("rules[1].condition.tag")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("alarms are raised by the platform", errors.GetProperty("rules[1].actions[0]")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("0", (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edge}/rules")).GetProperty("version").GetString());

        using var malformed = await PutRulesAsync(admin, edge, """{"rules": [{"id": "x", "condition": {"kind": "never"}}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        using var missing = await PutRulesAsync(admin, "no-such-edge", Relief);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("operator")]
    public async Task Only_engineers_and_admins_may_push_rules(string role)
    {
        var (edge, _) = await NewEdgeAsync();
        using var http = fixture.Client(await fixture.NewApiTokenAsync(role));
        using var response = await PutRulesAsync(http, edge, Relief);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task No_other_client_may_read_or_write_an_edges_config_topic()
    {
        var (edge, _) = await NewEdgeAsync();
        var (other, otherToken) = await NewEdgeAsync();
        var (device, deviceToken) = await fixture.NewDeviceAsync();
        using var otherEdge = await ConnectAsync(other, otherToken);
        using var aDevice = await ConnectAsync(device, deviceToken);

        foreach (var filter in new[] { $"fabrica/edges/{edge}/config", "fabrica/edges/+/config", "fabrica/edges/#", "#" })
        {
            var result = await otherEdge.SubscribeAsync(filter);
            Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, result.Items.Single().ResultCode);
            result = await aDevice.SubscribeAsync(filter);
            Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, result.Items.Single().ResultCode);
        }
        var forged = await otherEdge.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"fabrica/edges/{other}/config")
            .WithPayload("""{"version": "99", "rules": []}""").WithRetainFlag(true).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, forged.ReasonCode);
    }

    [Fact]
    public async Task Events_from_an_edge_are_kept_and_another_edge_cannot_speak_for_it()
    {
        var (edge, token) = await NewEdgeAsync();
        var (other, otherToken) = await NewEdgeAsync();
        using var client = await ConnectAsync(edge, token);
        using var intruder = await ConnectAsync(other, otherToken);
        const string Event = """{"event": "relief", "ruleId": "relief", "ruleName": "Pressure relief", "device": "press-1", "kind": "activated", "timestamp": 1}""";

        var sent = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"fabrica/edges/{edge}/events")
            .WithPayload(Event).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.True(sent.IsSuccess, sent.ReasonCode.ToString());
        var spoofed = await intruder.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"fabrica/edges/{edge}/events")
            .WithPayload(Event).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, spoofed.ReasonCode);

        using var viewer = fixture.Client(await fixture.NewApiTokenAsync("viewer"));
        var events = await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edge}/events");
        var kept = Assert.Single(events.EnumerateArray());
        Assert.Equal($"fabrica/edges/{edge}/events", kept.GetProperty("topic").GetString());
        Assert.Equal("activated", kept.GetProperty("event").GetProperty("kind").GetString());
        Assert.Empty((await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{other}/events")).EnumerateArray());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_rules_push()
    {
        using var anonymous = fixture.Client();
        var doc = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var put = doc.GetProperty("paths").GetProperty("/api/v1/edges/{edgeId}/rules").GetProperty("put");
        Assert.Contains("without a restart", put.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("fabrica/edges/{id}/config", put.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(put.TryGetProperty("requestBody", out _));
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/v1/edges/{edgeId}/events", out _));
    }
}
