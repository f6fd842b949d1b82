using System.Diagnostics;
using System.Globalization;
using System.Text;
using Fabrica.Cli.Commands;
using MQTTnet;
using MQTTnet.Protocol;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Bench;

/// <summary>
/// <c>fabrica bench ingest</c>: a load generator over real MQTT connections. Each connection is a registered device
/// publishing QoS 1 JSON messages with a window of unacknowledged messages; reports samples/s acknowledged and the
/// p50/p99 latency from PUBLISH to PUBACK (i.e. to durable storage).
/// </summary>
internal sealed class IngestBenchCommand : AsyncCommand<IngestBenchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IngestBenchSettings s, CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var devices = new List<(string Id, string Token)>();
        if (s.NoRegister)
        {
            // A plain MQTT broker (bench/peers/mosquitto.sh): same load, no Fabrica API, optional fixed credentials.
            for (var i = 0; i < s.Connections; i++)
                devices.Add(($"bench-{run}-{i}", s.Password ?? ""));
        }
        else
        {
            using var api = new ApiClient(s);
            Console.Error.WriteLine($"registering {s.Connections} devices…");
            for (var i = 0; i < s.Connections; i++)
            {
                var id = $"bench-{run}-{i}";
                var created = await api.PostAsync("/api/v1/devices", new DeviceRegistration(id, id), CliJsonContext.Default.DeviceRegistration, cancellationToken);
                devices.Add((id, created.GetProperty("token").GetString()!));
            }
        }

        var clients = new List<IMqttClient>();
        foreach (var (id, token) in devices)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            var options = new MqttClientOptionsBuilder().WithTcpServer(s.MqttHost, s.MqttPort).WithClientId(id).WithTimeout(TimeSpan.FromSeconds(30));
            if (!s.NoRegister)
                options.WithCredentials(id, token);
            else if (s.Username is not null)
                options.WithCredentials(s.Username, token);
            await client.ConnectAsync(options.Build(), cancellationToken);
            clients.Add(client);
        }
        Console.Error.WriteLine($"{clients.Count} connections open; publishing for {s.DurationSeconds} s…");

        var latencies = new List<double>[clients.Count];
        var acked = new long[clients.Count];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(s.DurationSeconds));
        var clock = Stopwatch.StartNew();
        var workers = clients.Select((client, index) => Task.Run(() =>
            PublishLoopAsync(client, devices[index].Id, s, latencies[index] = [], count => acked[index] += count, stop.Token), CancellationToken.None)).ToArray();
        var progress = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(1000, CancellationToken.None);
                Console.Error.WriteLine($"  {clock.Elapsed.TotalSeconds:F0} s: {acked.Sum():N0} samples acknowledged");
            }
        }, CancellationToken.None);
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed.TotalSeconds;
        await progress;
        foreach (var client in clients)
            client.Dispose();

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var samples = acked.Sum();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"connections={s.Connections} samples_per_message={s.SamplesPerMessage} inflight={s.InFlight} duration_s={elapsed:F1} "
            + $"messages={all.Length} samples={samples} samples_per_s={samples / elapsed:F0} messages_per_s={all.Length / elapsed:F0} "
            + $"ack_p50_ms={Percentile(all, 0.50):F2} ack_p99_ms={Percentile(all, 0.99):F2}"));
        return 0;
    }

    private static async Task PublishLoopAsync(IMqttClient client, string device, IngestBenchSettings s, List<double> latencies,
        Action<long> onAcked, CancellationToken stop)
    {
        var topic = $"fabrica/devices/{device}/telemetry";
        var window = new SemaphoreSlim(s.InFlight);
        var pending = new List<Task>();
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 86_400_000;
        var random = new Random(device.GetHashCode(StringComparison.Ordinal));
        var gate = new object();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await window.WaitAsync(stop);
                var payload = Payload(ref ts, s, random);
                var started = Stopwatch.GetTimestamp();
                pending.Add(PublishOneAsync());
                if (pending.Count > 4 * s.InFlight)
                    pending.RemoveAll(t => t.IsCompleted);

                async Task PublishOneAsync()
                {
                    try
                    {
                        var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), CancellationToken.None);
                        if (result.IsSuccess)
                        {
                            lock (gate)
                            {
                                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                                onAcked(s.SamplesPerMessage);
                            }
                        }
                    }
                    finally
                    {
                        window.Release();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        await Task.WhenAll(pending);
    }

    /// <summary>A message of realistic decimal values (two decimals, slow random walk), one ms apart per sample.</summary>
    private static byte[] Payload(ref long ts, IngestBenchSettings s, Random random)
    {
        var json = new StringBuilder(64 + s.SamplesPerMessage * 48);
        json.Append('[');
        for (var i = 0; i < s.SamplesPerMessage; i++)
        {
            ts++;
            var tag = i % s.Tags;
            var value = Math.Round(50 + 10 * Math.Sin(ts / 5000.0 + tag) + random.NextDouble(), 2);
            json.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ",")}{{\"ts\":{ts},\"values\":{{\"t{tag}\":{value}}}}}");
        }
        return Encoding.UTF8.GetBytes(json.Append(']').ToString());
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)];
}
