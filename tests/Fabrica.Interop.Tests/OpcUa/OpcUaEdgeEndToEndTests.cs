using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fabrica.Interop.Tests.Edge;
using Fabrica.Interop.Tests.Infrastructure;
using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.Tests.OpcUa.Interop;
using Xunit.Abstractions;

namespace Fabrica.Interop.Tests.OpcUa;

/// <summary>
/// OPC UA end to end with real processes: the node-opcua server of tests/peers/opcua → `fabrica edge` (adapter
/// <c>opcua</c>, user-name identity) → MQTT → `fabrica serve` → the REST API. The counter's values arrive complete and
/// in order at the OPC UA source timestamps (compared with what our own client sees from the same server); a write
/// and a method call go the platform's command path back to the server.
/// </summary>
public sealed partial class OpcUaEdgeEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly NodeOpcUaServer _opcua = new();

    public Task InitializeAsync() => _opcua.InitializeAsync();

    public Task DisposeAsync() => _opcua.DisposeAsync();

    [Fact]
    public async Task Values_reach_the_platform_at_their_source_timestamps_and_commands_reach_the_server()
    {
        using var dir = new TempDirectory();
        using var platform = await ServerProcess.StartAsync(Path.Combine(dir.Path, "data"), TimeSpan.FromSeconds(90));
        using var api = new PlatformClient(platform);
        FabricaProcess? edge = null;

        // What the server sends, seen by our own client: counter value → source timestamp (Unix ms).
        await using var witness = await OpcUaClient.ConnectAsync(_opcua.EndpointUrl);
        await using var subscription = await witness.SubscribeAsync([NodeId.Parse("ns=1;s=Counter")], TimeSpan.Zero,
            new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(100), QueueSize = 1000 });
        var seen = new Dictionary<long, long>();
        using var stopWitness = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            await foreach (var value in subscription.ReadAllAsync(stopWitness.Token))
            {
                lock (seen)
                    seen[Convert.ToInt64(value.Value.Value.Value, System.Globalization.CultureInfo.InvariantCulture)] =
                        UnixTime.FromDateTimeOffset(new DateTimeOffset(DateTime.SpecifyKind(value.Value.SourceTimestamp, DateTimeKind.Utc)));
            }
        });
        try
        {
            using var registered = await api.Http.PostAsJsonAsync("/api/v1/edges", new { id = "line2-edge", name = "line2-edge" });
            var token = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
            var config = Path.Combine(dir.Path, "edge.json");
            await File.WriteAllTextAsync(config, EdgeConfig(token, platform.MqttPort, _opcua.EndpointUrl));
            edge = await FabricaProcess.StartAsync(EdgeReady(), TimeSpan.FromSeconds(90), "edge", "--config", config);
            var started = Now();

            // Telemetry: at least 50 counter values, consecutive, each at the source timestamp the server gave it.
            List<(long Ts, double Value)> counter = [];
            await WaitForAsync(async () => (counter = await api.ReadRawAsync("cnc-3", "counter", started - 60_000, Now() + 60_000)).Count >= 50, "50 counter values on the platform");
            var values = counter.OrderBy(p => p.Ts).Select(p => (long)p.Value).ToList();
            for (var i = 1; i < values.Count; i++)
                Assert.True(values[i] == values[i - 1] + 1, $"counter {values[i - 1]} then {values[i]}: lost or repeated");
            await stopWitness.CancelAsync();
            Dictionary<long, long> witnessed;
            lock (seen)
                witnessed = new(seen);
            var compared = counter.Where(p => witnessed.ContainsKey((long)p.Value)).ToList();
            Assert.True(compared.Count >= 30, $"only {compared.Count} values seen by both");
            Assert.All(compared, p => Assert.Equal(witnessed[(long)p.Value], p.Ts));
            var leaf = await api.ReadRawAsync("cnc-3", "leaf", started - 60_000, Now() + 60_000);
            Assert.NotEmpty(leaf);
            Assert.All(leaf, p => Assert.Equal(302, p.Value));

            // A write through the platform's command path reaches the OPC UA variable (and comes back as telemetry).
            var write = await SendCommandAsync(api, """{"name": "write", "args": {"tag": "setpoint", "value": 77.25}}""");
            Assert.Equal("succeeded", write.GetProperty("status").GetString());
            Assert.Equal(Variant.From(77.25), (await witness.ReadValueAsync(NodeId.Parse("ns=1;s=Setpoint"))).Value);
            await WaitForAsync(async () => (await api.ReadRawAsync("cnc-3", "setpoint", started - 60_000, Now() + 60_000)).Any(p => p.Value == 77.25), "the written set-point as telemetry");

            // A method call as a command: arguments in, results out.
            var call = await SendCommandAsync(api, """{"name": "describe", "args": [4, "spindles"]}""");
            Assert.Equal("succeeded", call.GetProperty("status").GetString());
            Assert.Equal("""["4 x spindles",8]""", call.GetProperty("result").GetRawText());

            // A refused write comes back as a failed command with the server's reason.
            var refused = await SendCommandAsync(api, """{"name": "write", "args": {"tag": "fixed", "value": 1}}""");
            Assert.Equal("failed", refused.GetProperty("status").GetString());
            Assert.Contains("BadNotWritable", refused.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, edge.Terminate(TimeSpan.FromSeconds(30)));
        }
        catch
        {
            output.WriteLine("platform output:\n" + platform.Output);
            if (edge is not null)
                output.WriteLine("edge output:\n" + edge.Output);
            throw;
        }
        finally
        {
            await stopWitness.CancelAsync();
            await Task.WhenAny(watching);
            edge?.Dispose();
        }
    }

    /// <summary>Sends a command to the machine and waits until the edge answers it (see <see cref="PlatformRest.SendCommandUntilAnsweredAsync"/>).</summary>
    private static Task<JsonElement> SendCommandAsync(PlatformClient api, string body) => PlatformRest.SendCommandUntilAnsweredAsync(api.Http, "cnc-3", body);

    private static string EdgeConfig(string token, int mqttPort, string endpoint) => $$"""
        {
        {{EdgeConfigJson.UplinkToTestPlatform("line2-edge", token, mqttPort)}}
          "devices": [
            {
              "id": "cnc-3", "adapter": "opcua", "readTimeout": "5s",
              "settings": {
                "endpoint": "{{endpoint}}", "securityMode": "None",
                "identity": { "userName": "operator", "password": "secret-42" },
                "publishingInterval": "100ms",
                "methods": [ { "command": "describe", "objectId": "ns=1;s=Methods", "methodId": "ns=1;s=Methods.Describe", "inputs": ["Int32", "String"] } ]
              },
              "tags": [
                { "name": "counter", "address": "ns=1;s=Counter", "settings": { "samplingInterval": 0 } },
                { "name": "setpoint", "address": "/1:Fabrica/1:Setpoint" },
                { "name": "leaf", "address": "ns=1;s=Tree.Branch_03.Leaf_2" },
                { "name": "fixed", "address": "ns=1;s=Scalars.Int32" }
              ]
            }
          ]
        }
        """;

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static Task WaitForAsync(Func<Task<bool>> condition, string what) =>
        Eventually.UntilAsync(condition, what, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(250));

    [GeneratedRegex(@"^fabrica edge ready id=")]
    private static partial Regex EdgeReady();
}
