using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Fabrica.Console.Tests.Infrastructure;

namespace Fabrica.Console.Tests;

/// <summary>
/// The push API and the session's guard rails over plain HTTP: the device stream with a bearer token, with the
/// console's cookie from a browser's EventSource, and refused without either; pages and the Blazor hub refused
/// without a session; the stream in the OpenAPI document.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class StreamAndSessionTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task The_device_stream_pushes_samples_as_they_are_stored()
    {
        using var http = new HttpClient { BaseAddress = fixture.Demo.HttpUri, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.OperatorToken);
        using var cancel = new CancellationTokenSource(ConsoleFixture.Patience);
        using var response = await http.GetAsync($"/api/v1/devices/{ConsoleFixture.Press}/stream", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        // The stored latest value first, then the live marker.
        Assert.Equal("event: latest", await reader.ReadLineAsync(cancel.Token));
        while (await reader.ReadLineAsync(cancel.Token) is { } line && line != ": live")
        {
        }
        await fixture.PublishPressureAsync(7.25);
        string? kind = null;
        JsonElement data = default;
        while (await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
                kind = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && kind == "sample")
            {
                data = JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
                if (data.GetProperty("value").GetDouble() == 7.25)
                    break;
            }
        }
        Assert.Equal("pressure", data.GetProperty("tag").GetString());
        Assert.True(data.GetProperty("ts").GetInt64() > 0);
    }

    [Fact]
    public async Task The_stream_accepts_the_session_cookie_from_a_browser_event_source()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await fixture.SignedInPageAsync(context);
        var received = page.EvaluateAsync<string>("""
            () => new Promise((resolve, reject) => {
              const source = new EventSource('/api/v1/devices/press-9/stream');
              source.addEventListener('sample', e => { const d = JSON.parse(e.data); if (d.value === 6.5) { source.close(); resolve(d.tag); } });
              source.onerror = () => reject(new Error('stream failed'));
            })
            """);
        // The browser's request is open once the stored latest value has arrived; publish until the live one does.
        for (var i = 0; i < 60 && !received.IsCompleted; i++)
        {
            await fixture.PublishPressureAsync(6.5);
            await Task.WhenAny(received, Task.Delay(1000));
        }
        Assert.Equal("pressure", await received);
    }

    [Fact]
    public async Task Without_a_session_pages_redirect_to_sign_in_and_the_hub_and_stream_answer_401()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Demo.HttpUri };
        using (var page = await http.GetAsync("/alarms"))
        {
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.StartsWith("/login", page.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        }
        using (var hub = await http.PostAsync("/_blazor/negotiate?negotiateVersion=1", null))
            Assert.Equal(HttpStatusCode.Unauthorized, hub.StatusCode);
        using (var stream = await http.GetAsync($"/api/v1/devices/{ConsoleFixture.Press}/stream", HttpCompletionOption.ResponseHeadersRead))
            Assert.Equal(HttpStatusCode.Unauthorized, stream.StatusCode);
        using (var login = await http.GetAsync("/login"))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            // The sign-in form carries an antiforgery token; a post without it is refused.
            Assert.Contains("__RequestVerificationToken", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using var forged = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["Input.Token"] = fixture.OperatorToken,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain(forged.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("fabrica_session", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_stream_is_in_the_openapi_document_and_static_files_come_from_the_publish_output()
    {
        using var http = new HttpClient { BaseAddress = fixture.Demo.HttpUri };
        var openapi = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement;
        var get = openapi.GetProperty("paths").GetProperty("/api/v1/devices/{deviceId}/stream").GetProperty("get");
        Assert.True(get.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/event-stream", out _));
        foreach (var asset in new[] { "_framework/blazor.web.js", "_content/MudBlazor/MudBlazor.min.css", "_content/Fabrica.Server/lib/uplot/uPlot.iife.min.js", "_content/Fabrica.Server/console/console.js" })
        {
            using var response = await http.GetAsync(asset);
            Assert.True(response.IsSuccessStatusCode, $"{asset}: {(int)response.StatusCode}");
        }
    }
}
