using System.Text.RegularExpressions;
using Fabrica.Console.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Fabrica.Console.Tests;

/// <summary>
/// The console in Debian's Chromium, driven as a person would: sign in, open the demo plant, watch a value move,
/// read a trend, see an alarm appear and acknowledge it, send a command, and never run a device's name as HTML.
/// Every wait is for something on the page (Playwright's auto-waiting), bounded by <see cref="ConsoleFixture.Patience"/>.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsoleBrowserTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Sign_in_refuses_an_unknown_token_and_a_device_token_and_keeps_the_session_in_an_http_only_strict_cookie()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)ConsoleFixture.Patience.TotalMilliseconds);
        await page.GotoAsync("/assets/pump-1");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);

        await page.FillAsync("#token", "fba_" + new string('A', 59));
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator(".fc-problem")).ToContainTextAsync("unknown, revoked or malformed");

        await page.FillAsync("#token", fixture.PressToken);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator(".fc-problem")).ToContainTextAsync("device or gateway token");

        await page.FillAsync("#token", fixture.OperatorToken);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => url.EndsWith("/assets/pump-1", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=signed-in-as]")).ToContainTextAsync("operator");

        var session = Assert.Single(await context.CookiesAsync(), c => c.Name == "fabrica_session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.DoesNotContain(fixture.OperatorToken, session.Value, StringComparison.Ordinal);
        Assert.Null(await page.EvaluateAsync<string?>("() => document.cookie.includes('fabrica_session') ? document.cookie : null"));
    }

    [Fact]
    public async Task Overview_shows_the_demo_devices_online_and_the_asset_tree_finds_the_pump()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await fixture.SignedInPageAsync(context);
        // The demo's four machines report every second through the edge.
        await Assertions.Expect(page.Locator("[data-testid=devices-online]")).ToHaveTextAsync(new Regex("^[4-9]$"));
        await Assertions.Expect(page.Locator("[data-testid=ingest-rate]")).Not.ToHaveTextAsync(new Regex("^0(\\.0+)? "));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ConsoleFixture.Screenshot("overview.png") });

        await page.ClickAsync("text=Assets");
        await page.GetByLabel("Search by name, id or path").FillAsync("pump");
        await Assertions.Expect(page.Locator("[data-testid=asset-link-cnc-1]")).ToHaveCountAsync(0);
        await page.ClickAsync("[data-testid=asset-link-pump-1]");
        await Assertions.Expect(page.Locator("[data-testid=asset-title]")).ToHaveTextAsync("Coolant pump 1");
    }

    [Fact]
    public async Task A_live_value_on_the_asset_page_changes_while_the_simulator_runs()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await fixture.SignedInPageAsync(context);
        await ConsoleFixture.GotoAsync(page, "/assets/pump-1");
        var simTime = page.Locator("[data-testid=value-sim_time]");
        await Assertions.Expect(simTime).ToHaveTextAsync(new Regex(@"^[\d,.]+ s$"));
        var first = await simTime.TextContentAsync();
        // No reload, no browser polling: the new value arrives over the circuit as the edge publishes it.
        await Assertions.Expect(simTime).Not.ToHaveTextAsync(first!);
        await Assertions.Expect(page.Locator("[data-testid=live-temperature]")).ToContainTextAsync("°C");
    }

    [Fact]
    public async Task The_trend_draws_stored_history_for_a_chosen_range_and_zooms_on_the_server()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await fixture.SignedInPageAsync(context);
        await ConsoleFixture.GotoAsync(page, $"/assets/{ConsoleFixture.Press}");
        var trend = page.Locator("[data-testid=trend]");
        await Assertions.Expect(trend).ToHaveAttributeAsync("data-series", "1");

        // The stored hour two hours back, typed in the browser's zone (Europe/Berlin in this context).
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        string Local(long ms) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        await page.FillAsync("[data-testid=range-from]", Local(fixture.HistoryFrom - 60_000));
        await page.FillAsync("[data-testid=range-to]", Local(fixture.HistoryTo + 60_000));
        await page.ClickAsync("[data-testid=range-apply]");
        // 360 samples, 10 s apart, over 62 minutes: 2-second buckets hold one sample each.
        await Assertions.Expect(trend).ToHaveAttributeAsync("data-points", new Regex("^3[5-6][0-9]$"));
        await Assertions.Expect(page.Locator("[data-testid=trend-caption]")).ToContainTextAsync("Europe/Berlin");
        await Assertions.Expect(trend.Locator("canvas")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ConsoleFixture.Screenshot("asset-trend.png"), FullPage = true });

        // Drag across the middle third: the server answers with the samples in that part only.
        var box = (await trend.Locator(".u-over").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 3, box.Y + box.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + 2 * box.Width / 3, box.Y + box.Height / 2, new MouseMoveOptions { Steps = 5 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(trend).ToHaveAttributeAsync("data-points", new Regex("^1[0-2][0-9]$"));
    }

    [Fact]
    public async Task An_alarm_raised_by_a_rule_appears_without_a_reload_and_can_be_acknowledged_with_a_comment()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await fixture.SignedInPageAsync(context);
        await ConsoleFixture.GotoAsync(page, "/alarms");
        var row = page.Locator("[data-testid=alarm-press-overpressure-press-9]");
        await Assertions.Expect(row).ToHaveCountAsync(0);

        await fixture.PublishPressureAsync(12.5);
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "ActiveUnacknowledged");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ConsoleFixture.Screenshot("alarms.png") });

        await row.Locator("[data-testid=alarm-ack]").ClickAsync();
        await page.GetByLabel("Comment").FillAsync("valve checked, relief OK");
        await page.ClickAsync("[data-testid=alarm-confirm]");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "ActiveAcknowledged");
        await Assertions.Expect(row).ToContainTextAsync("valve checked, relief OK");

        var stored = await fixture.Admin.GetStringAsync("/api/v1/alarms?asset=press-9");
        Assert.Contains("valve checked, relief OK", stored, StringComparison.Ordinal);
        Assert.Contains("console test operator", stored, StringComparison.Ordinal);
        await fixture.PublishPressureAsync(5);
    }

    [Fact]
    public async Task A_command_sent_from_the_asset_page_reaches_the_device_and_its_answer_is_shown()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await fixture.SignedInPageAsync(context);
        await ConsoleFixture.GotoAsync(page, $"/assets/{ConsoleFixture.Press}");
        await page.FillAsync("[data-testid=arg-setSpeed-rpm]", "1200");
        await page.ClickAsync("[data-testid=send-setSpeed]");
        await Assertions.Expect(page.Locator("[data-testid=outcome-setSpeed]")).ToHaveAttributeAsync("data-status", "succeeded");
        await Assertions.Expect(page.Locator("[data-testid=outcome-setSpeed]")).ToContainTextAsync("1200");
        lock (fixture.CommandsReceived)
            Assert.Contains(fixture.CommandsReceived, c => c.GetProperty("name").GetString() == "setSpeed" && c.GetProperty("args").GetProperty("rpm").GetDouble() == 1200);

        // Out of range: refused by the command service with the reason, nothing sent.
        await page.FillAsync("[data-testid=arg-setSpeed-rpm]", "5000");
        await page.ClickAsync("[data-testid=send-setSpeed]");
        await Assertions.Expect(page.Locator("[data-testid=outcome-setSpeed]")).ToHaveAttributeAsync("data-status", "invalid");
    }

    [Fact]
    public async Task A_device_named_like_an_html_tag_is_shown_as_text_and_runs_nothing()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await fixture.SignedInPageAsync(context);
        var dialogs = 0;
        page.Dialog += (_, dialog) =>
        {
            Interlocked.Increment(ref dialogs);
            _ = dialog.DismissAsync();
        };
        await ConsoleFixture.GotoAsync(page, "/devices");
        var name = page.Locator($"[data-testid=device-{ConsoleFixture.XssDevice}] [data-testid=device-name]");
        await Assertions.Expect(name).ToHaveTextAsync(ConsoleFixture.XssName);
        Assert.Equal(0, await name.Locator("img").CountAsync());
        await ConsoleFixture.GotoAsync(page, "/");
        await Assertions.Expect(page.GetByText(ConsoleFixture.XssName)).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("img[src=x]").CountAsync());
        Assert.Equal(0, Volatile.Read(ref dialogs));
    }
}
