using System.Net.Http.Headers;
using System.Text.Json;

namespace Fabrica.Cli.Commands;

/// <summary>HTTP client of the platform API for the CLI: bearer token, problem details turned into readable errors.</summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public ApiClient(ClientSettings settings)
    {
        _http = new HttpClient { BaseAddress = settings.ServerUri, Timeout = TimeSpan.FromMinutes(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.ResolveToken());
    }

    public async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public async Task<JsonElement> PostAsync<T>(string path, T body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        await SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, type) }, cancellationToken);

    public async Task<JsonElement> DeleteAsync(string path, CancellationToken cancellationToken) =>
        await SendAsync(new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken);

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw new CliException($"Cannot reach {_http.BaseAddress}: {e.Message}. Is `fabrica serve` running? Use --server or FABRICA_SERVER.");
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (!response.IsSuccessStatusCode)
                    throw new CliException(DescribeFailure(response, text));
                return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            }
        }
    }

    private static string DescribeFailure(HttpResponseMessage response, string body)
    {
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            return $"{status}: the token was refused. Check --token / FABRICA_TOKEN.";
        if (response.StatusCode == System.Net.HttpStatusCode.Forbidden)
            return $"{status}: the token's role does not allow this.";
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : root.TryGetProperty("title", out var t) ? t.GetString() : null;
            var errors = root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object
                ? string.Join("; ", e.EnumerateObject().Select(p => $"{p.Name}: {string.Join(" ", p.Value.EnumerateArray().Select(x => x.GetString()))}"))
                : null;
            return $"{status}: {detail}{(errors is null ? "" : " — " + errors)}";
        }
        catch (JsonException)
        {
            return $"{status}: {body}";
        }
    }

    public void Dispose() => _http.Dispose();
}
