using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace Fabrica.Bench.Peers;

/// <summary>
/// <c>fabrica-load</c>: registers one Fabrica device per data-set device, then sends the data set as JSON batches
/// <c>[{"ts":…,"values":{"t0":…,…,"t9":…}},…]</c>, the form a device uses after buffering, over
/// <list type="bullet">
/// <item><c>--transport mqtt</c>: one MQTT connection per device, QoS 1, <c>--inflight</c> unacknowledged messages each;</item>
/// <item><c>--transport http</c>: <c>--writers</c> concurrent POSTs, device token per request, batches taken time-major.</item>
/// </list>
/// <c>--samples-per-message</c> (a multiple of the tags per device) sets the batch. The rate counts samples in
/// acknowledged messages (PUBACK success / HTTP 2xx), which Fabrica sends only after the fsync.
/// </summary>
internal static class FabricaLoader
{
    public static async Task<int> RunAsync(Options o)
    {
        var data = SensorDataSet.Create(o);
        var server = new Uri(o.String("server"));
        var transport = o.String("transport", "mqtt");
        var perMessage = o.Int("samples-per-message", 1000);
        var secondsPerMessage = Math.Max(1, perMessage / data.TagsPerDevice);
        var maxWall = TimeSpan.FromSeconds(o.Double("max-wall-s", 0));
        var prefix = o.String("device-prefix", "d");
        var ids = data.DeviceIds.Select(id => prefix + id[1..]).ToArray();
        var tokens = await RegisterAsync(server, o.String("token"), ids);

        var messagesPerDevice = (data.Seconds + secondsPerMessage - 1) / secondsPerMessage;
        var latencies = new List<double>();
        long samples = 0, failed = 0;
        Report.Progress($"fabrica-load ({transport}): {data.PointCount:N0} samples, {secondsPerMessage * data.TagsPerDevice} per message");
        var clock = Stopwatch.StartNew();
        using var progress = new Timer(_ => Report.Progress($"  {clock.Elapsed.TotalSeconds:F0} s: {Interlocked.Read(ref samples):N0} samples acknowledged"), null, 5000, 5000);
        bool Expired() => maxWall > TimeSpan.Zero && clock.Elapsed > maxWall;

        void Acked(int count, long started, bool ok)
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            lock (latencies)
            {
                if (ok)
                {
                    samples += count;
                    latencies.Add(ms);
                }
                else
                {
                    failed++;
                }
            }
        }

        int connections;
        if (transport == "mqtt")
        {
            var inflight = o.Int("inflight", 8);
            var clients = new IMqttClient[data.Devices];
            for (var d = 0; d < data.Devices; d++)
            {
                clients[d] = new MqttClientFactory().CreateMqttClient();
                await clients[d].ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", o.Int("mqtt-port"))
                    .WithClientId(ids[d]).WithCredentials(ids[d], tokens[d]).WithTimeout(TimeSpan.FromSeconds(60)).Build());
            }
            connections = clients.Length;
            clock.Restart();
            await Task.WhenAll(Enumerable.Range(0, data.Devices).Select(d => Task.Run(async () =>
            {
                var topic = $"fabrica/devices/{ids[d]}/telemetry";
                using var window = new SemaphoreSlim(inflight);
                var pending = new List<Task>();
                for (var m = 0; m < messagesPerDevice && !Expired(); m++)
                {
                    await window.WaitAsync();
                    var (payload, count) = Payload(data, d, m * secondsPerMessage, secondsPerMessage);
                    var started = Stopwatch.GetTimestamp();
                    pending.Add(PublishAsync(clients[d], topic, payload, count, started, window));
                }
                await Task.WhenAll(pending);
            })));
            foreach (var c in clients)
                c.Dispose();

            async Task PublishAsync(IMqttClient client, string topic, byte[] payload, int count, long started, SemaphoreSlim window)
            {
                try
                {
                    var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
                    Acked(count, started, result.IsSuccess);
                }
                finally
                {
                    window.Release();
                }
            }
        }
        else
        {
            var writers = o.Int("writers", 4);
            connections = writers;
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = writers }) { BaseAddress = server, Timeout = TimeSpan.FromMinutes(5) };
            var jobs = (long)messagesPerDevice * data.Devices;
            long next = -1;
            clock.Restart();
            await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
            {
                long j;
                while ((j = Interlocked.Increment(ref next)) < jobs && !Expired())
                {
                    var d = (int)(j % data.Devices);
                    var (payload, count) = Payload(data, d, (int)(j / data.Devices) * secondsPerMessage, secondsPerMessage);
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"api/v1/devices/{ids[d]}/telemetry", UriKind.Relative))
                    {
                        Content = new ByteArrayContent(payload) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                    };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[d]);
                    var started = Stopwatch.GetTimestamp();
                    using var response = await http.SendAsync(request);
                    if (!response.IsSuccessStatusCode && Interlocked.Read(ref failed) == 0)
                        Report.Progress($"  POST failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    Acked(count, started, response.IsSuccessStatusCode);
                }
            })));
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        latencies.Sort();
        Report.Line(("system", "fabrica"), ("transport", transport), ("connections", connections), ("samples_per_message", secondsPerMessage * data.TagsPerDevice),
            ("samples", samples), ("failed_messages", failed), ("seconds", elapsed), ("samples_per_s", samples / elapsed),
            ("messages_per_s", latencies.Count / elapsed), ("ack_p50_ms", Report.Percentile(latencies, 0.5)), ("ack_p99_ms", Report.Percentile(latencies, 0.99)));
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Samples of device <paramref name="device"/>, seconds <c>[first, first + count)</c>, all tags per timestamp.</summary>
    private static (byte[] Payload, int Samples) Payload(SensorDataSet data, int device, int first, int count)
    {
        var end = Math.Min(data.Seconds, first + count);
        var buffer = new ArrayBufferWriter<byte>((end - first) * (24 + 14 * data.TagsPerDevice));
        InfluxLoader.Append(buffer, "["u8);
        for (var i = first; i < end; i++)
        {
            InfluxLoader.Append(buffer, i == first ? "{\"ts\":"u8 : ",{\"ts\":"u8);
            InfluxLoader.AppendFormatted(buffer, data.Timestamp(i));
            InfluxLoader.Append(buffer, ",\"values\":{"u8);
            for (var t = 0; t < data.TagsPerDevice; t++)
            {
                InfluxLoader.Append(buffer, t == 0 ? "\"t"u8 : ",\"t"u8);
                InfluxLoader.AppendFormatted(buffer, t);
                InfluxLoader.Append(buffer, "\":"u8);
                InfluxLoader.AppendFormatted(buffer, data.Value(SensorDataSet.Series(device, t, data.TagsPerDevice), i));
            }
            InfluxLoader.Append(buffer, "}}"u8);
        }
        InfluxLoader.Append(buffer, "]"u8);
        return (buffer.WrittenSpan.ToArray(), (end - first) * data.TagsPerDevice);
    }

    private static async Task<string[]> RegisterAsync(Uri server, string adminToken, string[] ids)
    {
        using var http = new HttpClient { BaseAddress = server };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        var tokens = new string[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            using var response = await http.PostAsJsonAsync(new Uri("api/v1/devices", UriKind.Relative), new Registration(ids[i], ids[i]), PeerJsonContext.Default.Registration);
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"Registering {ids[i]}: {(int)response.StatusCode} {body}");
            using var doc = JsonDocument.Parse(body);
            tokens[i] = doc.RootElement.GetProperty("token").GetString()!;
        }
        return tokens;
    }
}

internal sealed record Registration(string Id, string Name);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(Registration))]
internal sealed partial class PeerJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
