using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fabrica.Console.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Fabrica.Console.Tests;

/// <summary>
/// The identifier lookup page over every scheme (issue 6's mapping, seen from the console) and a command from the
/// asset page that travels platform → MQTT → the demo's edge → Modbus write → the simulated pump, read back as the
/// pump's live set-point.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class LookupAndMachineCommandTests(ConsoleFixture fixture)
{
    private const string Handle = DemoProcess.IdentifierPrefix + "/LOOKUP-1";
    private const string Sgtin = "urn:epc:id:sgtin:9506000.013435.4711";

    [Fact]
    public async Task The_lookup_page_resolves_an_SGTIN_to_its_record_as_text_and_explains_invalid_and_unknown_identifiers()
    {
        await SendAsync(HttpMethod.Put, "/api/handles/" + Handle, $$"""
            [{"index":1,"type":"URL","data":"https://example.com/lookup/1"},
             {"index":2,"type":"batch","data":"B-2026-11","permissions":"1100"},
             {"index":3,"type":"DESC","data":{{JsonSerializer.Serialize(ConsoleFixture.XssName)}}}]
            """);
        await SendAsync(HttpMethod.Post, "/api/v1/identifiers/alternates", $$"""{"handle":"{{Handle}}","identifier":"{{Sgtin}}"}""");

        await using var context = await fixture.NewContextAsync();
        var page = await fixture.SignedInPageAsync(context);
        var dialogs = 0;
        page.Dialog += (_, dialog) =>
        {
            Interlocked.Increment(ref dialogs);
            _ = dialog.DismissAsync();
        };
        await ConsoleFixture.GotoAsync(page, "/lookup");

        await LookUpAsync(page, Sgtin);
        await Assertions.Expect(page.Locator("[data-testid=lookup-scheme]")).ToHaveTextAsync("epc-pure-identity");
        await Assertions.Expect(page.Locator("[data-testid=lookup-handle]")).ToHaveTextAsync(Handle);
        var values = page.Locator("[data-testid=lookup-values]");
        await Assertions.Expect(values.Locator("[data-testid=lookup-value-1]")).ToContainTextAsync("https://example.com/lookup/1");
        // The operator is a viewer or above, so non-public values are shown, as GET /api/v1/identifiers/resolve does.
        await Assertions.Expect(values.Locator("[data-testid=lookup-value-2]")).ToContainTextAsync("B-2026-11");
        await Assertions.Expect(values.Locator("[data-testid=lookup-value-3]")).ToContainTextAsync(ConsoleFixture.XssName);
        Assert.Equal(0, await page.Locator("img[src=x]").CountAsync());

        // The EPC tag URI of the same object: another scheme, the same record.
        await LookUpAsync(page, "urn:epc:tag:sgtin-96:3.9506000.013435.4711");
        await Assertions.Expect(page.Locator("[data-testid=lookup-scheme]")).ToHaveTextAsync("epc-tag-uri");
        await Assertions.Expect(page.Locator("[data-testid=lookup-handle]")).ToHaveTextAsync(Handle);

        // Malformed: the parser's reason, the same text the REST route gives.
        const string Invalid = "urn:epc:id:sgtin:95060.00.013435.4711";
        using (var rest = await fixture.Admin.GetAsync("/api/v1/identifiers/resolve?id=" + Uri.EscapeDataString(Invalid)))
        {
            Assert.Equal(400, (int)rest.StatusCode);
            var reason = JsonDocument.Parse(await rest.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()!;
            await LookUpAsync(page, Invalid);
            await Assertions.Expect(page.Locator("[data-testid=lookup-problem]")).ToContainTextAsync(reason);
            await Assertions.Expect(page.Locator("[data-testid=lookup-values]")).ToHaveCountAsync(0);
        }

        // Well-formed but bound to nothing here.
        await LookUpAsync(page, "urn:epc:id:sgtin:9506000.013435.9999");
        await Assertions.Expect(page.Locator("[data-testid=lookup-scheme]")).ToHaveTextAsync("epc-pure-identity");
        await Assertions.Expect(page.Locator("[data-testid=lookup-problem]")).ToContainTextAsync("No record for this identifier");
        Assert.Equal(0, Volatile.Read(ref dialogs));
    }

    [Fact]
    public async Task A_write_sent_from_the_pump_page_reaches_the_simulated_pump_through_the_edge()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await fixture.SignedInPageAsync(context);
        await ConsoleFixture.GotoAsync(page, "/assets/pump-1");
        var setpoint = page.Locator("[data-testid=value-speed_setpoint]");
        // The edge polls the holding register every second: a value is there before the write.
        await Assertions.Expect(setpoint).ToHaveTextAsync(new Regex(@"^[\d.,]+ %$"));
        var target = (await setpoint.TextContentAsync())!.StartsWith("37", StringComparison.Ordinal) ? 42 : 37;

        await page.ClickAsync("[data-testid=arg-write-tag]");
        await page.Locator(".mud-popover-open").GetByText("speed_setpoint", new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await page.FillAsync("[data-testid=arg-write-value]", target.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.ClickAsync("[data-testid=send-write]");
        var outcome = page.Locator("[data-testid=outcome-write]");
        await Assertions.Expect(outcome).ToHaveAttributeAsync("data-status", new Regex("^(succeeded|failed|timedOut)$"));
        var status = await outcome.GetAttributeAsync("data-status");
        Assert.True(status == "succeeded", $"{status}: {await outcome.TextContentAsync()}");

        // The simulator's register now holds the set-point: the edge reads it back, the page shows it live.
        await Assertions.Expect(setpoint).ToHaveTextAsync(new Regex($@"^{target}(\.0+)? %$"));
        var commands = await fixture.Admin.GetStringAsync("/api/v1/commands?device=pump-1");
        Assert.Contains("\"speed_setpoint\"", commands, StringComparison.Ordinal);
        Assert.Contains("succeeded", commands, StringComparison.Ordinal);

        // Out of the argument's range: refused by the command service with the reason, nothing sent.
        await page.FillAsync("[data-testid=arg-write-value]", "70000");
        await page.ClickAsync("[data-testid=send-write]");
        await Assertions.Expect(outcome).ToHaveAttributeAsync("data-status", "invalid");
    }

    private static async Task LookUpAsync(IPage page, string identifier)
    {
        await page.FillAsync("[data-testid=lookup-input]", identifier);
        await page.ClickAsync("[data-testid=lookup-resolve]");
    }

    private async Task SendAsync(HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await fixture.Admin.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
