using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Fabrica.Interop.Tests.Infrastructure;

namespace Fabrica.Interop.Tests.Sparkplug;

/// <summary>
/// An edge node nobody here wrote (npm sparkplug-client, Eclipse Tahu's JavaScript client) publishes Sparkplug B to
/// the platform's broker with an edge's credentials; the platform stores its metrics and asks for a rebirth on a gap.
/// </summary>
public sealed class SparkplugIngestTests
{
    [Fact]
    public async Task Births_and_data_from_sparkplug_client_are_stored_and_a_seq_gap_brings_a_rebirth()
    {
        using var data = new TempDirectory();
        using var server = await ServerProcess.StartAsync(data.Path);
        using var admin = new PlatformClient(server);
        using var created = await admin.Http.PostAsJsonAsync("/api/v1/edges", new { id = "edge-7", name = "Line 7" });
        created.EnsureSuccessStatusCode();
        var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        using var node = EdgeNode.Start($"mqtt://127.0.0.1:{server.MqttPort}", "plant1", "edge-7", "press", token);
        await node.WaitForAsync("connected");
        node.Send("births");
        node.Send("ddata 50");
        await node.WaitForAsync("published", e => e.GetProperty("what").GetString() == "DDATA");

        const string device = "plant1.edge-7.press";
        var latest = await WaitForLatestAsync(admin, device, l => l.TryGetProperty("Speed", out var s) && s.GetProperty("value").GetInt64() == 50);
        Assert.Equal("auto", latest.GetProperty("Mode").GetProperty("value").GetString());
        Assert.False(latest.GetProperty("Running").GetProperty("value").GetBoolean());
        var nodeMetrics = await admin.GetJsonAsync("/api/v1/devices/plant1.edge-7/latest");
        Assert.Equal(21.5, nodeMetrics.GetProperty("Temperature").GetProperty("value").GetDouble());
        var edge = await admin.GetJsonAsync("/api/v1/edges/edge-7");
        Assert.Contains(device, edge.GetProperty("devices").EnumerateArray().Select(d => d.GetString()));

        node.Send("skip");
        node.Send("ddata 1");
        await node.WaitForAsync("rebirth");
    }

    private static async Task<JsonElement> WaitForLatestAsync(PlatformClient client, string device, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await client.Http.GetAsync($"/api/v1/devices/{device}/latest");
            if (response.IsSuccessStatusCode)
            {
                var latest = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (done(latest))
                    return latest;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{device} did not reach the expected state");
            await Task.Delay(50);
        }
    }

    /// <summary>tests/peers/sparkplug/edge-node.js driven over stdin; its JSON reports read from stdout.</summary>
    private sealed class EdgeNode : IDisposable
    {
        private readonly Process _process;
        private readonly System.Collections.Concurrent.BlockingCollection<JsonElement> _events = [];

        private EdgeNode(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (!string.IsNullOrWhiteSpace(e.Data) && e.Data.TrimStart().StartsWith('{'))
                    _events.Add(JsonDocument.Parse(e.Data).RootElement.Clone());
            };
            process.BeginOutputReadLine();
        }

        public static EdgeNode Start(string url, string group, string edgeNode, string device, string token)
        {
            var info = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, WorkingDirectory = RepositoryRoot.Peer("sparkplug") };
            foreach (var a in new[] { "edge-node.js", url, group, edgeNode, device, edgeNode, token })
                info.ArgumentList.Add(a);
            return new EdgeNode(Process.Start(info)!);
        }

        public void Send(string command) => _process.StandardInput.WriteLine(command);

        public Task WaitForAsync(string kind, Func<JsonElement, bool>? match = null) => Task.Run(() =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            foreach (var e in _events.GetConsumingEnumerable(timeout.Token))
            {
                Assert.NotEqual("error", e.GetProperty("event").GetString());
                if (e.GetProperty("event").GetString() == kind && (match is null || match(e)))
                    return;
            }
        });

        public void Dispose()
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _process.Dispose();
            _events.Dispose();
        }
    }
}
