using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Fabrica.Cli.Commands.Identifiers;

/// <summary>
/// The Handle.Net-compatible REST API of a node (<c>/api/handles</c>) for the <c>fabrica id</c> commands. Unlike
/// <see cref="ApiClient"/> it returns Handle's JSON entity whatever the status, because a Handle error carries its
/// <c>responseCode</c> and message there. The token is optional: resolution of public values needs none.
/// </summary>
internal sealed class HandleApi : IDisposable
{
    private readonly HttpClient _http;

    public HandleApi(ClientSettings settings, bool tokenRequired)
    {
        _http = new HttpClient { BaseAddress = settings.ServerUri, Timeout = TimeSpan.FromMinutes(2) };
        string? token = null;
        try
        {
            token = settings.ResolveToken();
        }
        catch (CliException) when (!tokenRequired)
        {
        }
        if (token is not null)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public sealed record Answer(int Status, JsonElement Body)
    {
        public int ResponseCode => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("responseCode", out var code) ? code.GetInt32() : 0;

        public string Message => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";

        public bool Succeeded => Status is >= 200 and < 300 && ResponseCode == 1;

        /// <summary>One line for the user: HTTP status, Handle response code, message.</summary>
        public string Describe() => $"HTTP {Status}, responseCode {ResponseCode}: {Message}";
    }

    public Task<Answer> GetAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, pathAndQuery), cancellationToken);

    public Task<Answer> PutAsync(string pathAndQuery, string json, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Put, pathAndQuery) { Content = new StringContent(json, Encoding.UTF8, "application/json") }, cancellationToken);

    public Task<Answer> PostAsync(string pathAndQuery, string json, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new StringContent(json, Encoding.UTF8, "application/json") }, cancellationToken);

    public Task<Answer> DeleteAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, pathAndQuery), cancellationToken);

    /// <summary>The route of a handle: the prefix and each '/'-separated part of the suffix percent-encoded, the slashes kept.</summary>
    public static string Route(string handle) => "/api/handles/" + string.Join('/', handle.Split('/').Select(Uri.EscapeDataString));

    private async Task<Answer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
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
                throw new CliException($"Cannot reach {_http.BaseAddress}: {e.Message}. Is the node running? Use --server or FABRICA_SERVER.");
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                JsonElement body = default;
                if (text.Length > 0)
                {
                    try
                    {
                        body = JsonDocument.Parse(text).RootElement.Clone();
                    }
                    catch (JsonException)
                    {
                        body = JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = text }, CliIdJsonContext.Default.DictionaryStringString)).RootElement.Clone();
                    }
                }
                return new Answer((int)response.StatusCode, body);
            }
        }
    }

    public void Dispose() => _http.Dispose();
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<HandleValueJson>))]
internal sealed partial class CliIdJsonContext : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>A value as the Handle.Net REST API takes it (Technical Manual §14.8).</summary>
internal sealed record HandleValueJson(
    [property: System.Text.Json.Serialization.JsonPropertyName("index")] int Index,
    [property: System.Text.Json.Serialization.JsonPropertyName("type")] string Type,
    [property: System.Text.Json.Serialization.JsonPropertyName("data")] HandleDataJson Data,
    [property: System.Text.Json.Serialization.JsonPropertyName("permissions"), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Permissions = null,
    [property: System.Text.Json.Serialization.JsonPropertyName("ttl"), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] int? Ttl = null);

internal sealed record HandleDataJson(
    [property: System.Text.Json.Serialization.JsonPropertyName("format")] string Format,
    [property: System.Text.Json.Serialization.JsonPropertyName("value")] string Value);
