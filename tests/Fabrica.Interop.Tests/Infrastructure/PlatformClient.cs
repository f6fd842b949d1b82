using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Fabrica.Interop.Tests.Infrastructure;

/// <summary>The platform's HTTP API as a test uses it: register devices, read telemetry back.</summary>
public sealed class PlatformClient : IDisposable
{
    private readonly HttpClient _http;

    public PlatformClient(ServerProcess server, string? token = null)
    {
        _http = new HttpClient { BaseAddress = server.HttpUri, Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? server.AdminToken);
    }

    public HttpClient Http => _http;

    /// <summary>Registers a device and returns its token.</summary>
    public async Task<string> RegisterDeviceAsync(string id)
    {
        using var response = await _http.PostAsJsonAsync("/api/v1/devices", new { id, name = id });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("token").GetString()!;
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Raw samples of one tag in [from, to), as (ts, value) pairs.</summary>
    public async Task<List<(long Ts, double Value)>> ReadRawAsync(string device, string tag, long from, long to, int limit = 100_000)
    {
        var json = await GetJsonAsync($"/api/v1/devices/{device}/telemetry?keys={tag}&from={from}&to={to}&limit={limit}");
        return json.TryGetProperty(tag, out var points)
            ? points.EnumerateArray().Select(p => (p.GetProperty("ts").GetInt64(), p.GetProperty("value").GetDouble())).ToList()
            : [];
    }

    public void Dispose() => _http.Dispose();
}
