using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using Fabrica.Protocols.Sparkplug;
using MQTTnet;

namespace Fabrica.Protocols.Tests.Sparkplug.Interop;

/// <summary>
/// The whole path with parts nobody here wrote: an npm sparkplug-client edge node publishes through Debian's
/// mosquitto broker, and our host application receives over an MQTTnet client, asks for a rebirth after a gap,
/// writes back with DCMD, and sees the broker deliver the edge node's Will (NDEATH) when the process is killed.
/// </summary>
public sealed class SparkplugMqttInteropTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly Channel<(string Topic, byte[] Payload)> _received = Channel.CreateUnbounded<(string, byte[])>();
    private readonly Channel<JsonElement> _edgeEvents = Channel.CreateUnbounded<JsonElement>();
    private readonly List<SeriesSample> _samples = [];
    private readonly List<SparkplugHostEvent> _events = [];
    private readonly SparkplugHostApplication _host = new();
    private readonly string _config = Path.Combine(Path.GetTempPath(), $"fabrica-mosquitto-{Guid.NewGuid():N}.conf");
    private Process? _broker;
    private Process? _edge;
    private IMqttClient? _client;
    private int _port;

    public async Task InitializeAsync()
    {
        _port = FreePort();
        await File.WriteAllTextAsync(_config, $"listener {_port} 127.0.0.1\nallow_anonymous true\n");
        _broker = Process.Start(new ProcessStartInfo("mosquitto") { ArgumentList = { "-c", _config }, RedirectStandardError = true, RedirectStandardOutput = true })!;
        await WaitForPortAsync(_port);

        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            _received.Writer.TryWrite((e.ApplicationMessage.Topic, System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload)));
            return Task.CompletedTask;
        };
        await _client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _port).WithClientId("fabrica-sparkplug-host").Build());
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("spBv1.0/#").Build());

        _edge = Process.Start(SparkplugPeer.Node("edge-node.js", $"mqtt://127.0.0.1:{_port}", "Plant1", "Edge1", "Press7"))!;
        _ = Task.Run(async () =>
        {
            while (await _edge.StandardOutput.ReadLineAsync() is { } line)
                _edgeEvents.Writer.TryWrite(JsonDocument.Parse(line).RootElement.Clone());
        });
        await WaitForEdgeAsync("connected");
    }

    public async Task DisposeAsync()
    {
        foreach (var process in new[] { _edge, _broker })
        {
            if (process is { HasExited: false })
                process.Kill(entireProcessTree: true);
            process?.Dispose();
        }
        _client?.Dispose();
        File.Delete(_config);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_sparkplug_client_edge_node_is_born_sends_data_rebirths_after_a_gap_takes_writes_and_dies_by_will()
    {
        await SendAsync("births");
        await PumpUntilAsync(() => _events.Any(e => e is { Kind: SparkplugHostEventKind.DeviceOnline, DeviceId: "Plant1.Edge1.Press7" }));
        Assert.Contains(_events, e => e is { Kind: SparkplugHostEventKind.EdgeNodeOnline, DeviceId: "Plant1.Edge1" });

        await SendAsync("ddata 300"); // seq 2..301: wraps past 255
        await PumpUntilAsync(() => Speeds().Count == 301);
        Assert.Equal(Enumerable.Range(0, 301).Select(i => (long)i), Speeds());
        Assert.Equal(0, _host.Statistics.SequenceGaps);
        Assert.Equal(0, _host.Statistics.RebirthRequests);

        await SendAsync("skip");
        await SendAsync("ddata 1");
        await PumpUntilAsync(() => _events.Count(e => e.Kind == SparkplugHostEventKind.DeviceOnline) == 2);
        Assert.Equal(2, _events.Count(e => e.Kind == SparkplugHostEventKind.EdgeNodeOnline));
        await WaitForEdgeAsync("rebirth");
        Assert.Equal(1, _host.Statistics.SequenceGaps);
        Assert.Equal(1, _host.Statistics.RebirthRequests);

        Assert.True(_host.TryCreateWrite("Plant1.Edge1.Press7", "Speed", SampleValue.FromLong(42), out var write, out var error), error);
        await _client!.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(write.TopicName).WithPayload(write.Payload).Build());
        var dcmd = await WaitForEdgeAsync("dcmd");
        Assert.Equal("Press7", dcmd.GetProperty("device").GetString());
        var metric = dcmd.GetProperty("metrics")[0];
        Assert.Equal(("10", "Int32", 42), (metric.GetProperty("alias").GetString(), metric.GetProperty("type").GetString(), metric.GetProperty("value").GetInt32()));

        _edge!.Kill(); // SIGKILL: no DISCONNECT, so the broker publishes the NDEATH Will
        await PumpUntilAsync(() => _events.Any(e => e.Kind == SparkplugHostEventKind.EdgeNodeOffline));
        Assert.False(_host.IsDeviceOnline("Plant1.Edge1.Press7"));
        Assert.Equal(0, _host.Statistics.StaleDeaths);
    }

    private List<long> Speeds() => _samples.Where(s => s.Series == new SeriesKey("Plant1.Edge1.Press7", "Speed")).Select(s => s.Sample.Value.AsLong()).ToList();

    private async Task SendAsync(string command)
    {
        await _edge!.StandardInput.WriteLineAsync(command);
        await _edge.StandardInput.FlushAsync();
    }

    private async Task PumpUntilAsync(Func<bool> done)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!done())
        {
            var (topic, payload) = await _received.Reader.ReadAsync(timeout.Token);
            var update = _host.Receive(topic, payload);
            _samples.AddRange(update.Samples);
            _events.AddRange(update.Events);
            if (update.RebirthRequest is { } request)
                await _client!.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(request.TopicName).WithPayload(request.Payload).Build(), timeout.Token);
        }
    }

    private async Task<JsonElement> WaitForEdgeAsync(string eventName)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var e = await _edgeEvents.Reader.ReadAsync(timeout.Token);
            var name = e.GetProperty("event").GetString();
            if (name == "error")
                Assert.Fail("edge-node.js: " + e.GetProperty("message").GetString());
            if (name == eventName)
                return e;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_broker!.HasExited)
            {
                await Task.Delay(20);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"mosquitto did not listen on {port.ToString(CultureInfo.InvariantCulture)}: {await _broker!.StandardError.ReadToEndAsync()}", e);
            }
        }
    }
}
