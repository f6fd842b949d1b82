using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using MQTTnet;
using MQTTnet.Protocol;

namespace Fabrica.Console.Tests.Infrastructure;

/// <summary>
/// One published `fabrica demo` and one headless Debian Chromium for all console tests. Beside the demo line it sets
/// up, over the public API as a user would: an operator token for the person at the browser, a test press
/// (<see cref="Press"/>) on line 1 whose device is a real MQTT client here — it publishes pressure and answers
/// commands — with a rule that raises a priority-1 alarm above 10 bar, an hour of stored history two hours back,
/// and a device whose display name is an XSS probe.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string Press = "press-9";
    public const string XssName = "<img src=x onerror=alert(1)>";
    public const string XssDevice = "xss-probe";

    /// <summary>Generous: a loaded two-core CI machine publishing, starting a demo and a browser at once.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private IPlaywright? _playwright;
    private IMqttClient? _mqtt;

    public DemoProcess Demo { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;
    public HttpClient Admin { get; private set; } = default!;
    public string OperatorToken { get; private set; } = "";
    public string PressToken { get; private set; } = "";
    public long HistoryFrom { get; private set; }
    public long HistoryTo { get; private set; }
    public List<JsonElement> CommandsReceived { get; } = [];

    public async Task InitializeAsync()
    {
        var published = await PublishedBuild.EnsureAsync();
        Demo = await DemoProcess.StartAsync(published, TimeSpan.FromMinutes(3));
        Admin = new HttpClient { BaseAddress = Demo.HttpUri, Timeout = TimeSpan.FromSeconds(60) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Demo.AdminToken);

        OperatorToken = (await PostAsync("/api/v1/tokens", new { name = "console test operator", role = "operator" })).GetProperty("token").GetString()!;
        PressToken = (await PostAsync("/api/v1/devices", new { id = Press, name = "Press 9 PLC" })).GetProperty("token").GetString()!;
        await PostAsync("/api/v1/devices", new { id = XssDevice, name = XssName });
        await PutModelPartsAsync();
        await StoreHistoryAsync();
        await ConnectPressAsync();

        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser context (its own cookies) at 1280×720, the smallest screen the console is made for.</summary>
    public async Task<IBrowserContext> NewContextAsync() => await Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = Demo.HttpUri.ToString(),
        ViewportSize = new ViewportSize { Width = 1280, Height = 720 },
        TimezoneId = "Europe/Berlin",
    });

    /// <summary>Signs in through the sign-in page, as a person pastes a token.</summary>
    public async Task<IPage> SignedInPageAsync(IBrowserContext context, string? token = null)
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        await page.GotoAsync("/login");
        await page.FillAsync("#token", token ?? OperatorToken);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await WaitForCircuitAsync(page);
        return page;
    }

    /// <summary>Loads a page and waits until its circuit is live: a click on the server-rendered page before that is lost.</summary>
    public static async Task GotoAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitForCircuitAsync(page);
    }

    // The layout marks the page once the circuit has rendered it interactively (and learnt the browser's time zone).
    private static Task WaitForCircuitAsync(IPage page) =>
        Assertions.Expect(page.Locator("[data-testid=circuit]")).ToHaveAttributeAsync("data-interactive", "true");

    /// <summary>The press's device publishes one value over MQTT, as a PLC would.</summary>
    public async Task PublishPressureAsync(double bar)
    {
        var payload = JsonSerializer.Serialize(new Dictionary<string, double> { ["pressure"] = bar });
        await _mqtt!.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"fabrica/devices/{Press}/telemetry")
            .WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
    }

    public static string Screenshot(string name)
    {
        var directory = Path.Combine(RepositoryRoot.Path, "docs", "screenshots");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await Admin.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}\n{Demo.Output}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task SendJsonAsync(HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await Admin.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    // A type, an asset on the demo's line 1 and a rule, each through its own route (the demo's model stays).
    private async Task PutModelPartsAsync()
    {
        await SendJsonAsync(HttpMethod.Put, "/api/v1/asset-types/test-press", """
            { "id": "test-press", "name": "Hydraulic press",
              "tags": [ { "name": "pressure", "unit": "bar" } ],
              "commands": [ { "name": "setSpeed", "timeout": "20s",
                "arguments": [ { "name": "rpm", "type": "number", "min": 0, "max": 3000, "unit": "1/min" } ] } ] }
            """);
        await SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{Press}", $$"""
            { "id": "{{Press}}", "name": "Press 9", "parent": "line-1", "type": "test-press",
              "bindings": { "pressure": { "device": "{{Press}}" } } }
            """);
        await SendJsonAsync(HttpMethod.Post, "/api/v1/rules", $$"""
            { "id": "press-overpressure", "asset": "{{Press}}", "name": "Press 9 over-pressure", "scope": ["pressure"], "priority": 1,
              "condition": { "kind": "threshold", "tag": "pressure", "raiseAbove": 10, "clearBelow": 8 },
              "actions": [ { "kind": "alarm", "message": "Press 9 over-pressure" } ] }
            """);
    }

    // An hour of 10 s samples, two hours back: stored history for the trend's custom range (below the alarm limit).
    private async Task StoreHistoryAsync()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        HistoryFrom = now - 2 * 3_600_000L;
        HistoryTo = now - 3_600_000L;
        var points = new List<object>();
        for (var ts = HistoryFrom; ts < HistoryTo; ts += 10_000)
            points.Add(new { ts, values = new { pressure = 5 + Math.Sin((ts - HistoryFrom) / 600_000.0 * Math.PI) } });
        using var device = new HttpClient { BaseAddress = Demo.HttpUri };
        device.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PressToken);
        using var response = await device.PostAsJsonAsync($"/api/v1/devices/{Press}/telemetry", points);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    // The press's PLC: a real MQTT client that applies commands and answers on …/commands/{id}/result.
    private async Task ConnectPressAsync()
    {
        _mqtt = new MqttClientFactory().CreateMqttClient();
        _mqtt.ApplicationMessageReceivedAsync += async e =>
        {
            var command = JsonDocument.Parse(e.ApplicationMessage.ConvertPayloadToString()).RootElement.Clone();
            lock (CommandsReceived)
                CommandsReceived.Add(command);
            var reply = JsonSerializer.Serialize(new { ok = true, result = new { applied = command.GetProperty("args").GetProperty("rpm").GetDouble() } });
            await _mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(e.ApplicationMessage.Topic + "/result")
                .WithPayload(reply).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        };
        await _mqtt.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Demo.MqttPort)
            .WithClientId(Press).WithCredentials(Press, PressToken).Build());
        await _mqtt.SubscribeAsync($"fabrica/devices/{Press}/commands/+", MqttQualityOfServiceLevel.AtLeastOnce);
        await PublishPressureAsync(5);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_mqtt is not null)
        {
            if (_mqtt.IsConnected)
                await _mqtt.DisconnectAsync();
            _mqtt.Dispose();
        }
        Admin?.Dispose();
        if (Demo is not null)
            await Demo.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
