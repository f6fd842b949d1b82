using System.Net;
using Fabrica.Identifiers.Limits;
using Fabrica.Server.Hosting;

namespace Fabrica.Identifiers.Tests.Http;

/// <summary>The per-client limit of public resolution over REST, through a real host and curl.</summary>
public sealed class RateLimitRestTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fabrica-rate-" + Guid.NewGuid().ToString("N")[..12]);
    private FabricaServer _server = null!;

    public async Task InitializeAsync() => _server = await FabricaServer.StartAsync(new FabricaServerOptions
    {
        DataDirectory = _directory,
        HttpPort = 0,
        MqttPort = 0,
        BindAddress = IPAddress.Loopback,
        // Refill slow enough (one per 1000 s) that no token comes back during the test.
        Identifiers = new IdentifierNodeSettings { Prefixes = ["88.100.12"], HandlePort = 0, RateLimit = new RateLimitOptions { PerSecond = 0.001, Burst = 2 } },
    });

    [Fact]
    public async Task A_client_beyond_its_burst_gets_429_with_Handle_response_code_3()
    {
        var url = $"http://127.0.0.1:{_server.Endpoints.HttpPort}/api/handles/88.100.12/NOPE";
        var statuses = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var start = new System.Diagnostics.ProcessStartInfo("curl", ["-sS", "-i", url]) { RedirectStandardOutput = true };
            using var curl = System.Diagnostics.Process.Start(start)!;
            statuses.Add(await curl.StandardOutput.ReadToEndAsync());
            await curl.WaitForExitAsync();
        }
        Assert.StartsWith("HTTP/1.1 404", statuses[0], StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 404", statuses[1], StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 429", statuses[2], StringComparison.Ordinal);
        Assert.Contains("Retry-After: 1", statuses[2], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"responseCode\":3", statuses[2], StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
