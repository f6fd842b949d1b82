using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Fabrica.Interop.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace Fabrica.Interop.Tests.Wot;

/// <summary>
/// A WoT client nobody here wrote — node-wot (@node-wot/core + @node-wot/binding-http, the W3C reference
/// implementation; tests/peers/wot/wot-client.js) — consumes the Thing Description a running <c>fabrica serve</c>
/// serves, reads a property and invokes an action whose command reaches a device over real MQTT and reports success;
/// @node-wot/td-tools parses the TD of every asset of the plant.
/// </summary>
public sealed class NodeWotTests
{
    private const string Device = "mill-plc-1";

    private static string Plant => $$"""
        {
          "version": 1,
          "assetTypes": [
            { "id": "cnc-mill", "name": "CNC mill",
              "tags": [ { "name": "temperature", "unit": "Cel" }, { "name": "voltage", "unit": "V" }, { "name": "current", "unit": "A" },
                        { "name": "power", "unit": "kW", "expression": "voltage * current / 1000" },
                        { "name": "running", "type": "boolean" }, { "name": "parts", "type": "integer" }, { "name": "program", "type": "string" } ],
              "attributes": [ { "name": "vendor", "required": true }, { "name": "install_year", "type": "integer" }, { "name": "critical", "type": "boolean" } ],
              "commands": [ { "name": "setSpeed", "timeout": "20s", "arguments": [ { "name": "rpm", "min": 0, "max": 24000, "unit": "1/min" } ] },
                            { "name": "setMode", "arguments": [ { "name": "mode", "type": "string", "values": ["auto", "manual"] } ] },
                            { "name": "stop" } ],
              "kpis": { "runState": "running", "totalCount": "parts", "idealCycleTime": "2s" } },
            { "id": "pump", "name": "Coolant pump", "tags": [ { "name": "flow", "unit": "L/min" } ] }
          ],
          "assets": [
            { "id": "acme", "name": "ACME", "level": "enterprise" },
            { "id": "plant-1", "name": "Plant 1", "level": "site", "parent": "acme",
              "calendar": { "timeZone": "Europe/Berlin", "shifts": [ { "name": "early", "start": "06:00", "end": "14:00", "breaks": [ { "start": "09:00", "end": "09:30" } ] } ] } },
            { "id": "line-2", "name": "Line 2", "level": "line", "parent": "plant-1" },
            { "id": "cnc-3", "key": "cnc-3", "name": "CNC 3", "parent": "line-2", "type": "cnc-mill",
              "attributes": { "vendor": "DMG Mori", "install_year": 2019, "critical": true },
              "bindings": { "temperature": { "device": "{{Device}}", "tag": "temp", "unit": "Cel" }, "voltage": { "device": "{{Device}}" },
                            "current": { "device": "{{Device}}" }, "running": { "device": "{{Device}}" }, "parts": { "device": "{{Device}}" },
                            "program": { "device": "{{Device}}" } } },
            { "id": "pump-4", "name": "Pump 4", "parent": "line-2", "type": "pump", "bindings": { "flow": { "device": "pump-plc" } } }
          ]
        }
        """;

    [Fact]
    public async Task Node_wot_reads_a_property_and_invokes_an_action_that_reaches_the_device_over_mqtt()
    {
        using var data = new TempDirectory();
        using var server = await ServerProcess.StartAsync(data.Path);
        using var admin = new PlatformClient(server);
        var deviceToken = await admin.RegisterDeviceAsync(Device);
        using (var imported = await admin.Http.PutAsync("/api/v1/model", new StringContent(Plant, Encoding.UTF8, "application/json")))
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());

        // The device: a real MQTT client that applies commands and answers on …/commands/{id}/result.
        using var mqtt = new MqttClientFactory().CreateMqttClient();
        var received = new List<JsonElement>();
        mqtt.ApplicationMessageReceivedAsync += async e =>
        {
            var command = JsonDocument.Parse(e.ApplicationMessage.ConvertPayloadToString()).RootElement.Clone();
            lock (received)
                received.Add(command);
            var reply = JsonSerializer.Serialize(new { ok = true, result = new { applied = command.GetProperty("args").GetProperty("rpm").GetDouble() } });
            await mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(e.ApplicationMessage.Topic + "/result")
                .WithPayload(reply).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        };
        await mqtt.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", server.MqttPort).WithClientId(Device).WithCredentials(Device, deviceToken).Build());
        await mqtt.SubscribeAsync($"fabrica/devices/{Device}/commands/+", MqttQualityOfServiceLevel.AtLeastOnce);
        using var device = new HttpClient { BaseAddress = server.HttpUri };
        device.DefaultRequestHeaders.Authorization = new("Bearer", deviceToken);
        using (var sent = await device.PostAsync($"/api/v1/devices/{Device}/telemetry", new StringContent("""{"temp": 64.5, "voltage": 400, "current": 12}""", Encoding.UTF8, "application/json")))
            Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
        await WaitForPropertyAsync(admin, "cnc-3", "temperature");

        var result = await RunAsync("consume", $"{server.HttpUri}api/v1/assets/cnc-3/td", server.AdminToken, "temperature", "setSpeed", """{"rpm": 1200}""");

        Assert.Equal("CNC 3", result.GetProperty("title").GetString());
        Assert.Equal(64.5, result.GetProperty("property").GetDouble());
        var action = result.GetProperty("action");
        Assert.Equal("succeeded", action.GetProperty("status").GetString());
        Assert.Equal(1200, action.GetProperty("result").GetProperty("applied").GetDouble());
        var command = Assert.Single(received);
        Assert.Equal(("setSpeed", action.GetProperty("id").GetString()), (command.GetProperty("name").GetString(), command.GetProperty("id").GetString()));
        var stored = await admin.GetJsonAsync($"/api/v1/commands/{action.GetProperty("id").GetString()}");
        Assert.Equal("succeeded", stored.GetProperty("status").GetString());
        await mqtt.DisconnectAsync();
    }

    [Fact]
    public async Task Td_tools_parses_the_thing_description_of_every_asset_of_the_demo_and_of_a_richer_plant()
    {
        using var data = new TempDirectory();
        using var demo = await ServerProcess.StartAsync(data.Path, command: "demo");
        using var admin = new PlatformClient(demo);
        // The demo imports its plant once the platform is up (into an empty model only).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        List<string> assets;
        while ((assets = await AssetIdsAsync(admin)).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the demo imported no plant model");
            await Task.Delay(100);
        }

        var parsed = (await RunAsync(["parse", demo.AdminToken, .. assets.Select(id => $"{demo.HttpUri}api/v1/assets/{id}/td")])).GetProperty("parsed").EnumerateArray().ToList();

        Assert.Equal(assets.Count, parsed.Count);
        Assert.True(assets.Count >= 5, $"only {assets.Count} demo assets");
        Assert.Contains(parsed, p => p.GetProperty("properties").EnumerateArray().Any(x => x.GetString() == "temperature"));

        // A plant with every kind of tag, attribute and argument the TD maps (booleans, integers, enumerations, units).
        using (var imported = await admin.Http.PutAsync("/api/v1/model", new StringContent(Plant, Encoding.UTF8, "application/json")))
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        var plant = await AssetIdsAsync(admin);
        var rich = (await RunAsync(["parse", demo.AdminToken, .. plant.Select(id => $"{demo.HttpUri}api/v1/assets/{id}/td")])).GetProperty("parsed").EnumerateArray().ToList();
        Assert.Equal(["ACME", "Plant 1", "Line 2", "CNC 3", "Pump 4"], rich.Select(p => p.GetProperty("title").GetString()));
        Assert.Equal(["setSpeed", "setMode", "stop"], rich[3].GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("vendor", rich[3].GetProperty("properties").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task Node_wot_subscribes_to_the_alarm_event_and_receives_the_alarm_a_rule_raises()
    {
        using var data = new TempDirectory();
        using var server = await ServerProcess.StartAsync(data.Path);
        using var admin = new PlatformClient(server);
        var deviceToken = await admin.RegisterDeviceAsync(Device);
        using (var imported = await admin.Http.PutAsync("/api/v1/model", new StringContent(Plant.Replace("\"assets\": [", """
            "rules": [ { "id": "hot", "assetType": "cnc-mill", "name": "Hot", "scope": ["temperature"], "priority": 1,
                         "condition": { "kind": "threshold", "tag": "temperature", "raiseAbove": 80, "clearBelow": 75 },
                         "actions": [ { "kind": "alarm", "message": "Spindle hot" } ] } ],
            "assets": [
            """, StringComparison.Ordinal), Encoding.UTF8, "application/json")))
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        using var device = new HttpClient { BaseAddress = server.HttpUri };
        device.DefaultRequestHeaders.Authorization = new("Bearer", deviceToken);

        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Peer("wot") };
        foreach (var arg in new[] { "wot-client.js", "subscribe", $"{server.HttpUri}api/v1/assets/cnc-3/td", server.AdminToken, "alarm" })
            info.ArgumentList.Add(arg);
        using var node = Process.Start(info)!;
        var stderr = node.StandardError.ReadToEndAsync();
        try
        {
            var subscribed = await JsonLineAsync(node.StandardOutput).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(subscribed?.Contains("subscribed", StringComparison.Ordinal) == true, $"node-wot did not subscribe: {(node.HasExited ? await stderr : subscribed)}");
            // Long polling may be between two requests at any moment: heat and cool until node-wot reports an alarm change.
            var line = JsonLineAsync(node.StandardOutput);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            for (var hot = true; !line.IsCompleted; hot = !hot)
            {
                Assert.True(DateTime.UtcNow < deadline, $"no alarm event reached node-wot: {(node.HasExited ? await stderr : "")}");
                using var sent = await device.PostAsync($"/api/v1/devices/{Device}/telemetry", new StringContent($$"""{"temp": {{(hot ? 91 : 70)}}}""", Encoding.UTF8, "application/json"));
                Assert.True(sent.IsSuccessStatusCode);
                await Task.WhenAny(line, Task.Delay(500));
            }
            var alarm = JsonDocument.Parse((await line)!).RootElement.GetProperty("event");

            Assert.Equal(("hot", "cnc-3", 1), (alarm.GetProperty("ruleId").GetString(), alarm.GetProperty("assetId").GetString(), alarm.GetProperty("priority").GetInt32()));
            Assert.Equal("Spindle hot", alarm.GetProperty("message").GetString());
        }
        finally
        {
            if (!node.HasExited)
                node.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The next line that is a JSON object (node-wot also logs schema warnings to stdout); null at the end.</summary>
    private static async Task<string?> JsonLineAsync(StreamReader output)
    {
        while (await output.ReadLineAsync() is { } line)
        {
            if (line.TrimStart().StartsWith('{'))
                return line;
        }
        return null;
    }

    private static async Task<List<string>> AssetIdsAsync(PlatformClient client) =>
        [.. (await client.GetJsonAsync("/api/v1/assets")).EnumerateArray().Select(a => a.GetProperty("id").GetString()!)];

    private static async Task WaitForPropertyAsync(PlatformClient client, string asset, string property)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await client.Http.GetAsync($"/api/v1/assets/{asset}/properties/{property}");
            if (response.IsSuccessStatusCode)
                return;
            Assert.True(DateTime.UtcNow < deadline, $"{asset}.{property} got no value");
            await Task.Delay(50);
        }
    }

    /// <summary>Runs tests/peers/wot/wot-client.js and returns the JSON line it prints.</summary>
    private static async Task<JsonElement> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Peer("wot") };
        info.ArgumentList.Add("wot-client.js");
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        Assert.True(process.ExitCode == 0, $"wot-client.js exited with {process.ExitCode}: {await stderr}");
        var json = (await stdout).Split('\n').Last(l => l.TrimStart().StartsWith('{'));
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}
