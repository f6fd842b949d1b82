using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Fabrica.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Fabrica.Server.Tests.Mqtt;

/// <summary>
/// The platform's half of "no loss across outages" (docs/edge.md): a QoS 1 PUBACK with Success is a promise that the
/// samples are durable — also while the platform is stopping (the SIGTERM path: host stop, then storage closed) and
/// while it is starting again with devices already retrying. Real servers on loopback, real MQTT clients.
/// </summary>
public sealed class MqttAckDurabilityTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "fabrica-ack-test-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly ConcurrentQueue<string> _errors = new();

    [Fact]
    public async Task Every_message_acknowledged_with_success_across_a_stop_and_a_restart_is_stored()
    {
        var port = FreePort();
        var server = await StartAsync(port);
        var devices = new List<(string Id, string Token)>();
        for (var i = 0; i < 4; i++)
            devices.Add(await RegisterDeviceAsync(server, $"ack-{i}"));

        // Four devices publish without pause, each sample with a timestamp of its own, reconnecting whenever the
        // connection drops; every Success PUBACK is written down.
        var acked = new ConcurrentDictionary<string, ConcurrentBag<long>>();
        using var stop = new CancellationTokenSource();
        var publishers = devices.Select(d => Task.Run(() => PublishUntilAsync(d.Id, d.Token, port, acked.GetOrAdd(d.Id, _ => []), stop.Token))).ToList();
        await WaitUntilAsync(() => acked.Values.Sum(b => b.Count) >= 200, "acknowledged messages before the stop");

        await server.DisposeAsync(); // what SIGTERM does: the host stops (Kestrel, then the broker), then storage closes
        var beforeRestart = acked.Values.Sum(b => b.Count);
        server = await StartAsync(port);
        await WaitUntilAsync(() => acked.Values.Sum(b => b.Count) >= beforeRestart + 200, "acknowledged messages after the restart");
        await stop.CancelAsync();
        await Task.WhenAll(publishers);

        try
        {
            using var http = AdminClient(server);
            foreach (var (id, _) in devices)
            {
                var stored = await ReadTimestampsAsync(http, id);
                var lost = acked[id].Where(ts => !stored.Contains(ts)).Order().ToList();
                Assert.True(lost.Count == 0, $"{id}: {lost.Count} of {acked[id].Count} acknowledged samples are not stored, e.g. {string.Join(", ", lost.Take(10))}");
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>
    /// A client that connects while the platform starts gets a CONNACK or a refused socket — never a connection the
    /// broker was not ready for (MQTTnet's connection handler threw a NullReferenceException then; issue 3). The
    /// start is held for 2 s after the listeners are open and before the host reports itself started (where MQTTnet's
    /// own hosted server would start the broker), so that clients connect in exactly that window.
    /// </summary>
    [Fact]
    public async Task A_client_connecting_while_the_platform_starts_meets_a_started_broker()
    {
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        var connected = 0;
        var attempts = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = new MqttClientFactory().CreateMqttClient();
                try
                {
                    // Any credentials: the point is that the broker answers CONNECT at all.
                    await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port)
                        .WithClientId("early-" + Guid.NewGuid().ToString("N")[..8]).WithCredentials("nobody", "nothing")
                        .WithTimeout(TimeSpan.FromSeconds(10)).Build(), stop.Token);
                    Interlocked.Increment(ref connected);
                }
                catch (Exception)
                {
                    // Refused (not listening yet) or cancelled at the end; a connection the broker dropped shows as
                    // an error in the platform's log, which the assertion below reads.
                    if (stop.IsCancellationRequested)
                        return;
                    await Task.Delay(1, CancellationToken.None);
                }
            }
        });
        var server = await StartAsync(port, logging => logging.Services.AddSingleton<IHostedService, HoldAfterListening>());
        await WaitUntilAsync(() => Volatile.Read(ref connected) >= 3, "CONNACKs from the started platform");
        await stop.CancelAsync();
        await attempts;
        await server.DisposeAsync();
        Assert.Empty(_errors);
    }

    private async Task PublishUntilAsync(string id, string token, int port, ConcurrentBag<long> acked, CancellationToken stop)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000; // an hour ago on: inside raw retention
        while (!stop.IsCancellationRequested)
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            try
            {
                await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(id)
                    .WithCredentials(id, token).WithProtocolVersion(MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(10)).Build(), stop);
                while (!stop.IsCancellationRequested)
                {
                    ts++;
                    var message = new MqttApplicationMessageBuilder().WithTopic($"fabrica/devices/{id}/telemetry")
                        .WithPayload($"{{\"ts\":{ts},\"values\":{{\"n\":{ts % 1000}}}}}").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                    var result = await client.PublishAsync(message, stop);
                    if (result.ReasonCode == MqttClientPublishReasonCode.Success)
                        acked.Add(ts);
                }
            }
            catch (Exception)
            {
                // The platform is stopping or starting: connect again (the next sample gets a new timestamp). MQTTnet
                // reports a cancelled publish as a timeout, so the token says whether the test is over.
                if (stop.IsCancellationRequested)
                    return;
                await Task.Delay(5, CancellationToken.None);
            }
        }
    }

    private async Task<FabricaServer> StartAsync(int mqttPort, Action<ILoggingBuilder>? configure = null)
    {
        var options = new FabricaServerOptions
        {
            DataDirectory = _data,
            HttpPort = 0,
            MqttPort = mqttPort,
            BindAddress = IPAddress.Loopback,
            Identifiers = new IdentifierNodeSettings { HandlePort = 0 },
        };
        return await FabricaServer.StartAsync(options, logging =>
        {
            logging.AddProvider(new ErrorCollector(_errors));
            configure?.Invoke(logging);
        });
    }

    private static HttpClient AdminClient(FabricaServer server)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Endpoints.HttpPort}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(server.Startup.AdminTokenPath).Trim());
        return http;
    }

    private static async Task<(string Id, string Token)> RegisterDeviceAsync(FabricaServer server, string prefix)
    {
        var id = $"{prefix}-{Guid.NewGuid():N}"[..20];
        using var http = AdminClient(server);
        using var response = await http.PostAsJsonAsync("/api/v1/devices", new { id, name = id });
        response.EnsureSuccessStatusCode();
        return (id, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);
    }

    private static async Task<HashSet<long>> ReadTimestampsAsync(HttpClient http, string id)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var json = await http.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{id}/telemetry?keys=n&from={now - 7_200_000}&to={now}&limit=100000");
        return json.TryGetProperty("n", out var points) ? [.. points.EnumerateArray().Select(p => p.GetProperty("ts").GetInt64())] : [];
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A handle not yet released; the temp cleaner gets it.
        }
    }

    /// <summary>Holds the host's start after every hosted service (Kestrel's listeners among them) has started.</summary>
    private sealed class HoldAfterListening : IHostedLifecycleService
    {
        public Task StartedAsync(CancellationToken cancellationToken) => Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>NullReferenceExceptions the platform logs (Kestrel logs one escaping a connection handler as an error).</summary>
    private sealed class ErrorCollector(ConcurrentQueue<string> errors) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error && exception is NullReferenceException)
                errors.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
        }

        public void Dispose()
        {
        }
    }
}
