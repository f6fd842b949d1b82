using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Fabrica.Interop.Tests.Infrastructure;

/// <summary>REST calls on a platform that tests of the edge uplink share: an admin client, edge registration, reading values back, commands.</summary>
public static class PlatformRest
{
    /// <summary>An HTTP client for the platform on <paramref name="httpPort"/>, with the admin token its data directory holds.</summary>
    public static HttpClient AdminClient(int httpPort, string dataDirectory)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(dataDirectory, "admin.token")).Trim());
        return http;
    }

    /// <summary>Registers an edge (<c>POST /api/v1/edges</c>, 201 expected) and returns its token.</summary>
    public static async Task<string> RegisterEdgeAsync(HttpClient http, string edgeId, string name)
    {
        using var registered = await http.PostAsJsonAsync("/api/v1/edges", new { id = edgeId, name });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>The latest value of a numeric tag (<c>GET /api/v1/devices/{device}/latest</c>), truncated to an integer; null while there is none.</summary>
    public static async Task<long?> LatestValueAsync(HttpClient http, string device, string tag)
    {
        using var response = await http.GetAsync($"/api/v1/devices/{device}/latest");
        if (!response.IsSuccessStatusCode)
            return null;
        var latest = await response.Content.ReadFromJsonAsync<JsonElement>();
        return latest.TryGetProperty(tag, out var value) ? (long)value.GetProperty("value").GetDouble() : null;
    }

    /// <summary>
    /// Sends a command (<c>POST /api/v1/devices/{device}/commands?wait=20s</c>) until the edge answers it, and returns
    /// the final command. The edge may receive commands for a device only once the platform registered it (at its
    /// first telemetry), so a command that found no listener ("not delivered", the platform's words) is sent again;
    /// any other final state is the edge's answer.
    /// </summary>
    public static async Task<JsonElement> SendCommandUntilAnsweredAsync(HttpClient http, string device, string body)
    {
        JsonElement command = default;
        await Eventually.UntilAsync(async () =>
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync($"/api/v1/devices/{device}/commands?wait=20s", content);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"POST command: {(int)response.StatusCode} {text}");
            command = JsonDocument.Parse(text).RootElement.Clone();
            var status = command.GetProperty("status").GetString();
            var error = command.TryGetProperty("error", out var e) ? e.GetString() : null;
            return status is "succeeded" || (status is "failed" && error?.StartsWith("not delivered", StringComparison.Ordinal) == false);
        }, "the edge to answer a command", TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(250));
        return command;
    }
}
