using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fabrica.Server.Hosting;

namespace Fabrica.Identifiers.Tests.Http;

/// <summary>
/// A real platform process in this test process (Kestrel on 127.0.0.1, free ports, SQLite in a temp directory)
/// that is authoritative for the prefixes of the Handle.Net documentation example and Fabrica's examples.
/// Requests go through <c>curl</c>, a client nobody here wrote.
/// </summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private FabricaServer? _server;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "fabrica-id-test-" + Guid.NewGuid().ToString("N")[..12]);

    public FabricaServer Server => _server ?? throw new InvalidOperationException("not started");

    public string BaseUrl => $"http://127.0.0.1:{Server.Endpoints.HttpPort}";

    public string EngineerToken { get; private set; } = "";

    public string ViewerToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = await FabricaServer.StartAsync(new FabricaServerOptions
        {
            DataDirectory = DataDirectory,
            HttpPort = 0,
            MqttPort = 0,
            BindAddress = IPAddress.Loopback,
            Identifiers = new IdentifierNodeSettings { Prefixes = ["4263537", "88.100.12"], HandlePort = 0 },
        });
        EngineerToken = await NewTokenAsync("engineer");
        ViewerToken = await NewTokenAsync("viewer");
    }

    private async Task<string> NewTokenAsync(string role)
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(DataDirectory, "admin.token")).Trim());
        using var response = await http.PostAsJsonAsync("/api/v1/tokens", new { name = "handles-" + role, role });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Runs curl and returns the HTTP status and the parsed JSON body.</summary>
    public async Task<(int Status, JsonElement Body)> CurlAsync(string method, string pathAndQuery, string? token = null, string? body = null)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = body is not null };
        foreach (var argument in new[] { "-sS", "-g", "-X", method, "-w", "\n%{http_code}", "-H", "Accept: application/json" })
            start.ArgumentList.Add(argument);
        if (token is not null)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add("Authorization: Bearer " + token);
        }
        if (body is not null)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add("Content-Type: application/json");
            start.ArgumentList.Add("--data-binary");
            start.ArgumentList.Add("@-");
        }
        start.ArgumentList.Add(BaseUrl + pathAndQuery);
        using var curl = Process.Start(start)!;
        if (body is not null)
        {
            await curl.StandardInput.WriteAsync(body);
            curl.StandardInput.Close();
        }
        var output = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();
        Assert.True(curl.ExitCode == 0, $"curl failed: {await curl.StandardError.ReadToEndAsync()}");
        var newline = output.LastIndexOf('\n');
        var status = int.Parse(output[(newline + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var json = output[..newline];
        return (status, json.Length == 0 ? default : JsonDocument.Parse(json).RootElement.Clone());
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class NodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "identifier node";
}
