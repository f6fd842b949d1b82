using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Fabrica.Interop.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace Fabrica.Interop.Tests.CrashSafety;

/// <summary>
/// The durability promise: a QoS 1 PUBACK is sent only after the fsync that covers the samples. A real server
/// process is killed with SIGKILL in the middle of a high-rate ingest, restarted, and must hold every sample it
/// acknowledged — 20 times in a row on the same data directory, so recovery also survives repeated crashes.
/// </summary>
public sealed class KillDuringIngestTests(ITestOutputHelper output)
{
    private const int Rounds = 20;
    private const int Publishers = 4;
    private const int SamplesPerMessage = 20;

    [Fact]
    public async Task Every_acknowledged_sample_survives_sigkill_twenty_times_in_a_row()
    {
        using var data = new TempDirectory();
        string token;
        using (var first = await ServerProcess.StartAsync(data.Path))
        {
            using var client = new PlatformClient(first);
            token = await client.RegisterDeviceAsync("crash-1");
        }

        var random = new Random(20261130);
        var baseTs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000;
        for (var round = 0; round < Rounds; round++)
        {
            var acked = new ConcurrentDictionary<long, double>();
            var tag = $"v{round}";
            using (var server = await ServerProcess.StartAsync(data.Path))
            {
                using var stop = new CancellationTokenSource();
                var publishers = Enumerable.Range(0, Publishers)
                    .Select(p => PublishUntilKilledAsync(server.MqttPort, token, tag, baseTs, p, acked, stop.Token))
                    .ToArray();
                // Kill at a random moment once acknowledgements are flowing.
                var wanted = random.Next(50, 400);
                while (acked.Count < wanted * SamplesPerMessage && !publishers.All(t => t.IsCompleted))
                    await Task.Delay(5);
                server.Kill();
                await stop.CancelAsync();
                await Task.WhenAll(publishers);
            }
            Assert.NotEmpty(acked);

            using (var restarted = await ServerProcess.StartAsync(data.Path))
            {
                using var client = new PlatformClient(restarted);
                var stored = (await client.ReadRawAsync("crash-1", tag, baseTs, baseTs + 10_000_000)).ToDictionary(s => s.Ts, s => s.Value);
                var missing = acked.Where(a => !stored.TryGetValue(a.Key, out var v) || v != a.Value).Select(a => a.Key).ToList();
                output.WriteLine($"round {round}: {acked.Count} acknowledged, {stored.Count} stored, {missing.Count} missing");
                Assert.True(missing.Count == 0, $"round {round}: {missing.Count} acknowledged samples lost, e.g. ts {string.Join(", ", missing.Take(5))}");
            }
        }
    }

    /// <summary>Publishes QoS 1 batches with several in flight; records a message's samples only once its PUBACK arrived.</summary>
    private static async Task PublishUntilKilledAsync(int port, string token, string tag, long baseTs, int publisher,
        ConcurrentDictionary<long, double> acked, CancellationToken stop)
    {
        using var mqtt = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId($"crash-1-{publisher}")
            .WithCredentials("crash-1", token)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        try
        {
            await mqtt.ConnectAsync(options, stop);
            var inFlight = new List<Task>();
            for (var message = 0; !stop.IsCancellationRequested; message++)
            {
                // Timestamps are unique across publishers: publisher p owns every Publishers-th slot.
                var first = baseTs + ((long)message * Publishers + publisher) * SamplesPerMessage;
                inFlight.Add(PublishOneAsync(mqtt, tag, first, acked, stop));
                if (inFlight.Count >= 8)
                {
                    var done = await Task.WhenAny(inFlight);
                    inFlight.Remove(done);
                }
            }
            await Task.WhenAll(inFlight);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            // The server was killed: unacknowledged messages are allowed to be lost.
        }
    }

    private static async Task PublishOneAsync(IMqttClient mqtt, string tag, long firstTs, ConcurrentDictionary<long, double> acked, CancellationToken stop)
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < SamplesPerMessage; i++)
            json.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ",")}{{\"ts\":{firstTs + i},\"values\":{{\"{tag}\":{ValueOf(firstTs + i)}}}}}");
        json.Append(']');
        try
        {
            var result = await mqtt.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic("fabrica/devices/crash-1/telemetry")
                .WithPayload(json.ToString())
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build(), stop);
            if (result.IsSuccess)
            {
                for (var i = 0; i < SamplesPerMessage; i++)
                    acked[firstTs + i] = ValueOf(firstTs + i);
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            // Not acknowledged: may or may not be stored, the test does not care.
        }
    }

    private static double ValueOf(long ts) => ts % 1000 * 0.25;
}
