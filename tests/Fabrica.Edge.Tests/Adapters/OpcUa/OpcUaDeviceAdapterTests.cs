using System.Globalization;
using System.Text.Json;
using Fabrica.Edge.Adapters;
using Fabrica.Edge.Adapters.OpcUa;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Tests.Infrastructure;
using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.Tests.OpcUa.Interop;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Edge.Tests.Adapters.OpcUa;

/// <summary>The <c>opcua</c> adapter against the node-opcua server of tests/peers/opcua/server.js.</summary>
public sealed class OpcUaDeviceAdapterTests : IClassFixture<NodeOpcUaServer>
{
    private readonly NodeOpcUaServer _server;

    public OpcUaDeviceAdapterTests(NodeOpcUaServer server) => _server = server;

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    internal static DeviceOptions Device(string endpoint, string extraSettings = "", params TagOptions[] tags) => new()
    {
        Id = "cnc-3",
        Adapter = "opcua",
        ReadTimeout = TimeSpan.FromSeconds(2),
        Settings = Json($$"""{"endpoint": "{{endpoint}}", "securityMode": "None", "queueSize": 2000 {{extraSettings}}}"""),
        Tags = tags,
    };

    private static async Task<OpcUaDeviceAdapter> ConnectAsync(DeviceOptions device)
    {
        var adapter = (OpcUaDeviceAdapter)new OpcUaDeviceAdapterFactory().Create(device, new AdapterContext(TimeProvider.System, NullLoggerFactory.Instance));
        await adapter.ConnectAsync();
        return adapter;
    }

    [Fact]
    public async Task Every_value_arrives_once_in_order_with_its_source_timestamp_across_a_dropped_connection()
    {
        var counter = new TagOptions { Name = "fast", Address = "ns=1;s=FastCounter", Settings = Json("""{"samplingInterval": 0}""") };
        await using var adapter = await ConnectAsync(Device(_server.EndpointUrl, ", \"publishingInterval\": \"100ms\"", counter));
        var receiver = new CollectingReceiver();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = adapter.RunSubscriptionAsync([counter], receiver, stop.Token);

        await Eventually.TrueAsync(() => receiver.Count >= 300, "300 values before the drop", TimeSpan.FromSeconds(60));
        adapter.Client!.DropConnection();
        await Eventually.TrueAsync(() => receiver.Count >= 900, "900 values after the drop", TimeSpan.FromSeconds(90));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var readings = receiver.Snapshot();
        Assert.Equal(1, adapter.Client!.Reconnects);
        Assert.All(readings, r => Assert.Equal((0, Quality.Good), (r.Index, r.Reading.Quality)));
        var values = readings.Select(r => r.Reading.Value.AsLong()).ToList();
        for (var i = 1; i < values.Count; i++)
            Assert.True(values[i] == values[i - 1] + 1, $"value {i}: {values[i - 1]} then {values[i]}");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var stamps = readings.Select(r => r.Reading.SourceTimestamp!.Value).ToList();
        Assert.True(stamps.Zip(stamps.Skip(1)).All(p => p.First <= p.Second), "source timestamps never go back");
        Assert.InRange(stamps[^1], now - 60_000, now + 1_000);
        Assert.Equal(DeviceState.Connected, adapter.State);
    }

    [Fact]
    public async Task Tags_by_node_id_and_browse_path_resolve_and_nodes_the_server_cannot_give_are_bad_with_the_reason()
    {
        TagOptions[] tags =
        [
            new() { Name = "leaf", Address = "/1:Fabrica/1:Tree/1:Branch_24/1:Leaf_5" },
            new() { Name = "text", Address = "ns=1;s=Scalars.String" },
            new() { Name = "when", Address = "ns=1;s=Scalars.DateTime" },
            new() { Name = "big", Address = "ns=1;s=Scalars.UInt64" },
            new() { Name = "flag", Address = "ns=1;s=Scalars.Boolean" },
            new() { Name = "missing", Address = "ns=1;s=NoSuchNode" },
            new() { Name = "vector", Address = "ns=1;s=Arrays.Double" },
        ];
        await using var adapter = await ConnectAsync(Device(_server.EndpointUrl, "", tags));
        var receiver = new CollectingReceiver();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var run = adapter.RunSubscriptionAsync(tags, receiver, stop.Token);

        await Eventually.TrueAsync(() => receiver.Snapshot().Select(r => r.Index).Distinct().Count() == tags.Length, "a reading of every tag", TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var first = receiver.Snapshot().GroupBy(r => r.Index).ToDictionary(g => tags[g.Key].Name, g => g.First().Reading);
        Assert.Equal(2405, first["leaf"].Value.AsLong());
        Assert.Equal("Grüße aus Fabrica", first["text"].Value.AsString());
        Assert.Equal("2024-05-17T08:30:15.2500000Z", first["when"].Value.AsString());
        Assert.Equal(0x12345678_9ABCDEF0L, first["big"].Value.AsLong());
        Assert.True(first["flag"].Value.AsBool());
        Assert.All(new[] { "leaf", "text", "when", "big", "flag" }, n => Assert.Equal(Quality.Good, first[n].Quality));
        Assert.Equal((Quality.Bad, false), (first["missing"].Quality, first["missing"].HasValue));
        Assert.Equal((Quality.Bad, false), (first["vector"].Quality, first["vector"].HasValue));
        Assert.Contains("tag ", adapter.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_reach_the_variables_as_their_data_type_and_refusals_say_why()
    {
        TagOptions[] tags =
        [
            new() { Name = "setpoint", Address = "ns=1;s=Setpoint" },
            new() { Name = "small", Address = "ns=1;s=Writable.Int16" },
            new() { Name = "label", Address = "/1:Fabrica/1:Writable/1:String" },
            new() { Name = "fixed", Address = "ns=1;s=Scalars.Int32" },
        ];
        await using var adapter = await ConnectAsync(Device(_server.EndpointUrl, "", tags));
        await using var check = await OpcUaClient.ConnectAsync(_server.EndpointUrl);

        await adapter.WriteAsync(tags[0], SampleValue.FromDouble(42.25));
        await adapter.WriteAsync(tags[1], SampleValue.FromDouble(-1234.4));
        await adapter.WriteAsync(tags[2], SampleValue.FromString("from the edge"));
        var tooBig = await Assert.ThrowsAsync<ArgumentException>(() => adapter.WriteAsync(tags[1], SampleValue.FromLong(70_000)).AsTask());
        var readOnly = await Assert.ThrowsAsync<InvalidOperationException>(() => adapter.WriteAsync(tags[3], SampleValue.FromLong(1)).AsTask());

        Assert.Equal(Variant.From(42.25), (await check.ReadValueAsync(NodeId.Parse("ns=1;s=Setpoint"))).Value);
        Assert.Equal(Variant.From((short)-1234), (await check.ReadValueAsync(NodeId.Parse("ns=1;s=Writable.Int16"))).Value);
        Assert.Equal(Variant.From("from the edge"), (await check.ReadValueAsync(NodeId.Parse("ns=1;s=Writable.String"))).Value);
        Assert.Contains("Int16", tooBig.Message, StringComparison.Ordinal);
        Assert.Contains("BadNotWritable", readOnly.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_method_runs_as_a_command_with_arguments_and_results()
    {
        var methods = """, "methods": [{"command": "describe", "objectId": "ns=1;s=Methods", "methodId": "ns=1;s=Methods.Describe", "inputs": ["Int32", "String"]}]""";
        await using var adapter = await ConnectAsync(Device(_server.EndpointUrl, methods, new TagOptions { Name = "x", Address = "ns=1;s=Setpoint" }));

        var result = await adapter.ExecuteAsync("describe", Json("""[3, "bolts"]"""));
        var wrongCount = await Assert.ThrowsAsync<ArgumentException>(() => adapter.ExecuteAsync("describe", Json("[3]")).AsTask());
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => adapter.ExecuteAsync("reset", default).AsTask());

        Assert.Equal("""["3 x bolts",6]""", result.GetRawText());
        Assert.Contains("takes 2 arguments (Int32, String)", wrongCount.Message, StringComparison.Ordinal);
        Assert.Contains("describe", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_down_longer_than_the_read_timeout_makes_the_tags_bad_and_values_resume_after_its_restart()
    {
        var epoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var peer = new NodeOpcUaServer { Arguments = ["--epoch", epoch] };
        await peer.InitializeAsync();
        try
        {
            var counter = new TagOptions { Name = "fast", Address = "ns=1;s=FastCounter", Settings = Json("""{"samplingInterval": 0}""") };
            await using var adapter = await ConnectAsync(Device(peer.EndpointUrl, ", \"publishingInterval\": \"100ms\"", counter));
            var receiver = new CollectingReceiver();
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var run = adapter.RunSubscriptionAsync([counter], receiver, stop.Token);
            await Eventually.TrueAsync(() => receiver.Count >= 50, "values before the kill", TimeSpan.FromSeconds(60));

            await peer.KillAsync();
            await Eventually.TrueAsync(() => receiver.Snapshot().Any(r => r.Reading.Quality == Quality.Bad), "a bad reading while the server is down", TimeSpan.FromSeconds(30));
            Assert.NotEqual(DeviceState.Connected, adapter.State);
            Assert.Contains("lost", adapter.LastError, StringComparison.Ordinal);
            await peer.StartAsync();
            var badAt = receiver.Snapshot().FindIndex(r => r.Reading.Quality == Quality.Bad);
            await Eventually.TrueAsync(() => receiver.Snapshot().Skip(badAt + 1).Count(r => r.Reading.Quality == Quality.Good) >= 50, "values after the restart", TimeSpan.FromSeconds(60));
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

            var good = receiver.Snapshot().Where(r => r.Reading.Quality == Quality.Good).Select(r => r.Reading.Value.AsLong()).ToList();
            Assert.True(good.Zip(good.Skip(1)).All(p => p.Second > p.First), "no value repeats or goes back across the restart");
            Assert.Equal(DeviceState.Connected, adapter.State);
        }
        finally
        {
            await peer.DisposeAsync();
        }
    }

    /// <summary>Collects what the adapter delivers; checks that deliveries never overlap (the receiver contract).</summary>
    private sealed class CollectingReceiver : ITagReadingReceiver
    {
        private readonly List<(int Index, TagReading Reading)> _readings = [];
        private int _inside;

        public int Count
        {
            get
            {
                lock (_readings)
                    return _readings.Count;
            }
        }

        public List<(int Index, TagReading Reading)> Snapshot()
        {
            lock (_readings)
                return [.. _readings];
        }

        public void OnReading(int tagIndex, TagReading reading)
        {
            Assert.Equal(1, Interlocked.Increment(ref _inside));
            lock (_readings)
                _readings.Add((tagIndex, reading));
            Interlocked.Decrement(ref _inside);
        }

        public void OnStateChanged()
        {
        }
    }
}
