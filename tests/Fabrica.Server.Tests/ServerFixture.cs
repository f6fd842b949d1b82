using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fabrica.Server.Hosting;

namespace Fabrica.Server.Tests;

/// <summary>
/// A real platform in this process: Kestrel on 127.0.0.1 with free ports, real storage and SQLite in a temp
/// directory. Tests talk to it over real sockets (HTTP and MQTT), exactly as clients do.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private FabricaServer? _server;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "fabrica-server-test-" + Guid.NewGuid().ToString("N")[..12]);

    public FabricaServer Server => _server ?? throw new InvalidOperationException("not started");

    public int MqttPort => Server.Endpoints.MqttPort;

    public string AdminToken => File.ReadAllText(Path.Combine(DataDirectory, "admin.token")).Trim();

    public async Task InitializeAsync() =>
        _server = await FabricaServer.StartAsync(new FabricaServerOptions
        {
            DataDirectory = DataDirectory,
            HttpPort = 0,
            MqttPort = 0,
            BindAddress = IPAddress.Loopback,
            Identifiers = new IdentifierNodeSettings { HandlePort = 0 },
        });

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }

    public HttpClient Client(string? token = null)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Server.Endpoints.HttpPort}") };
        if (token is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public HttpClient AdminClient() => Client(AdminToken);

    /// <summary>Registers a device with a unique id and returns (id, token).</summary>
    public async Task<(string Id, string Token)> NewDeviceAsync(string prefix = "dev")
    {
        var id = $"{prefix}-{Guid.NewGuid():N}"[..20];
        using var admin = AdminClient();
        using var response = await admin.PostAsJsonAsync("/api/v1/devices", new { id, name = id });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (id, body.GetProperty("token").GetString()!);
    }

    public async Task<string> NewApiTokenAsync(string role)
    {
        using var admin = AdminClient();
        using var response = await admin.PostAsJsonAsync("/api/v1/tokens", new { name = $"test-{role}", role });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
