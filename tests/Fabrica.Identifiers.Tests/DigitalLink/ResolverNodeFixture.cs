using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fabrica.Server.Hosting;

namespace Fabrica.Identifiers.Tests.DigitalLink;

/// <summary>
/// A real identifier node (<c>fabrica idnode</c>'s host: Kestrel on 127.0.0.1, free ports, temp data) authoritative for <c>88.100.12</c>, with the GS1 company prefix
/// 9506000 and the OID arc 1.2.156.101818 mapped to it, and links for GS1's example GTIN 09506000134352 at GTIN and at
/// serial level, registered over REST as an engineer would.
/// </summary>
public sealed class ResolverNodeFixture : IAsyncLifetime
{
    public const string Gtin = "09506000134352";
    public const string PipHref = "https://example.com/products/09506000134352/pip";
    public const string DppHref = "https://example.com/dpp/7132";

    private IdentifierNodeServer? _server;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "fabrica-dl-test-" + Guid.NewGuid().ToString("N")[..12]);

    public IdentifierNodeServer Server => _server ?? throw new InvalidOperationException("not started");

    public string BaseUrl => $"http://127.0.0.1:{Server.HttpPort}";

    public string EngineerToken { get; private set; } = "";

    public string ViewerToken { get; private set; } = "";

    public static FabricaServerOptions Options(string dataDirectory) => new()
    {
        DataDirectory = dataDirectory,
        HttpPort = 0,
        MqttPort = 0,
        BindAddress = IPAddress.Loopback,
        Identifiers = new IdentifierNodeSettings { Prefixes = ["88.100.12"], HandlePort = 0 },
    };

    public async Task InitializeAsync()
    {
        _server = await IdentifierNodeServer.StartAsync(Options(DataDirectory));
        EngineerToken = await NewTokenAsync("engineer");
        ViewerToken = await NewTokenAsync("viewer");
        using var engineer = Client(EngineerToken);
        await SendAsync(engineer, HttpMethod.Post, "/api/v1/identifiers/rules", """{"kind":"gs1","match":"9506000","prefix":"88.100.12"}""");
        await SendAsync(engineer, HttpMethod.Post, "/api/v1/identifiers/rules", """{"kind":"oid","match":"1.2.156.101818","prefix":"88.100.12"}""");
        var gtinLevel = Uri.EscapeDataString($"https://example.com/01/{Gtin}");
        await SendAsync(engineer, HttpMethod.Put, "/api/v1/identifiers/links?id=" + gtinLevel, $$"""{"linkType":"gs1:pip","href":"{{PipHref}}","title":"Product information","type":"text/html","hreflang":["en"],"default":true}""");
        await SendAsync(engineer, HttpMethod.Put, "/api/v1/identifiers/links?id=" + gtinLevel, """{"linkType":"https://gs1.org/voc/certificationInfo","href":"https://example.com/cert/1","title":"Certificate","type":"application/pdf"}""");
        await SendAsync(engineer, HttpMethod.Put, "/api/v1/identifiers/links?id=" + gtinLevel, """{"linkType":"gs1:traceability","href":"https://partners.example.com/trace","title":"Traceability (partners)","public":false}""");
        await SendAsync(engineer, HttpMethod.Put, "/api/v1/identifiers/links?id=" + Uri.EscapeDataString($"https://example.com/01/{Gtin}/21/1234"), $$"""{"linkType":"gs1:dpp","href":"{{DppHref}}","title":"DPP","type":"application/vc"}""");
    }

    public HttpClient Client(string? token = null)
    {
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };
        if (token is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, string? json = null, HttpStatusCode? expect = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (expect is { } status)
            Assert.True(status == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        else
            Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<string> NewTokenAsync(string role)
    {
        using var http = Client(File.ReadAllText(Path.Combine(DataDirectory, "admin.token")).Trim());
        using var response = await http.PostAsJsonAsync("/api/v1/tokens", new { name = "dl-" + role, role });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
