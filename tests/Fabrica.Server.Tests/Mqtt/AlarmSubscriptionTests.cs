using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Fabrica.Server.Tests.Models;
using MQTTnet;
using MQTTnet.Protocol;

namespace Fabrica.Server.Tests.Mqtt;

/// <summary>
/// Alarm pushes on <c>fabrica/alarms/{assetId}</c> reach a client nobody here wrote (mosquitto_sub, Debian
/// mosquitto-clients) that connects with a viewer API token; device tokens and other topics are refused.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AlarmSubscriptionTests(ServerFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_viewer_token_receives_a_rule_raised_alarm_over_mqtt_as_json()
    {
        using var admin = fixture.AdminClient();
        var (device, deviceToken) = await fixture.NewDeviceAsync("alm");
        var (_, type, machine) = await ModelApiTests.CreatePlantAsync(admin, device);
        ModelApiTests.Ok(await admin.PostAsJsonAsync("/api/v1/rules", new
        {
            id = "hot-push-" + type, name = "Hot", assetType = type, scope = new[] { "temperature" },
            condition = new { kind = "threshold", tag = "temperature", raiseAbove = 80, clearBelow = 75 },
            actions = new object[] { new { kind = "alarm" } },
        }));
        var viewerToken = await fixture.NewApiTokenAsync("viewer");

        await using var subscriber = await MosquittoSub.StartAsync(fixture.MqttPort, "test-viewer", viewerToken, $"fabrica/alarms/{machine}");
        Assert.True(await subscriber.WaitForSubscriptionAsync(), "the viewer's subscription was refused: " + subscriber.Transcript);
        using var deviceHttp = fixture.Client(deviceToken);
        ModelApiTests.Ok(await deviceHttp.PostAsync($"/api/v1/devices/{device}/telemetry", new StringContent("""{"temp": 93}""", Encoding.UTF8, "application/json")));
        var pushed = await subscriber.NextMessageAsync();

        Assert.True(pushed is not null, "no alarm push arrived: " + subscriber.Transcript + (await admin.GetStringAsync($"/api/v1/alarms?asset={machine}")));
        var (topic, json) = pushed.Value;
        Assert.Equal($"fabrica/alarms/{machine}", topic);
        var alarm = JsonDocument.Parse(json).RootElement;
        Assert.Equal((machine, "activeUnacknowledged"), (alarm.GetProperty("assetId").GetString(), alarm.GetProperty("state").GetString()));
        var listed = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/alarms?asset={machine}");
        Assert.Equal(listed[0].GetProperty("id").GetString(), alarm.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_device_token_may_not_subscribe_to_alarms_and_a_viewer_only_to_alarms()
    {
        var (device, deviceToken) = await fixture.NewDeviceAsync("alm");
        var viewerToken = await fixture.NewApiTokenAsync("viewer");

        await using var deviceSub = await MosquittoSub.StartAsync(fixture.MqttPort, device, deviceToken, "fabrica/alarms/#");
        await using var viewerOnDevice = await MosquittoSub.StartAsync(fixture.MqttPort, "test-viewer", viewerToken, $"fabrica/devices/{device}/telemetry");
        await using var wrongName = await MosquittoSub.StartAsync(fixture.MqttPort, "someone-else", viewerToken, "fabrica/alarms/#");

        Assert.False(await deviceSub.WaitForSubscriptionAsync(), deviceSub.Transcript);
        Assert.False(await viewerOnDevice.WaitForSubscriptionAsync(), viewerOnDevice.Transcript);
        Assert.False(await wrongName.WaitForSubscriptionAsync(), wrongName.Transcript);
        Assert.Contains("Connection Refused", wrongName.Transcript, StringComparison.OrdinalIgnoreCase);

        // Read-only: a viewer's publish, even to a device's telemetry, is refused.
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", fixture.MqttPort)
            .WithClientId("viewer-" + Guid.NewGuid().ToString("N")).WithCredentials("test-viewer", viewerToken).Build());
        var published = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"fabrica/devices/{device}/telemetry")
            .WithPayload("""{"temp": 1}""").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, published.ReasonCode);
    }

    /// <summary>mosquitto_sub with debug output, so that its SUBACK is seen before the test makes the alarm.</summary>
    private sealed class MosquittoSub : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
        private readonly StringBuilder _transcript = new();
        private int _openStreams = 2;

        private MosquittoSub(Process process) => _process = process;

        public string Transcript
        {
            get
            {
                lock (_transcript)
                    return _transcript.ToString();
            }
        }

        public static Task<MosquittoSub> StartAsync(int port, string user, string password, string filter)
        {
            // mosquitto_sub buffers its (debug) output when it is not a terminal; stdbuf makes it line-buffered.
            var start = new ProcessStartInfo("stdbuf")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var arg in new[] { "-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", "mqttv311",
                "-i", "sub-" + Guid.NewGuid().ToString("N")[..12], "-u", user, "-P", password, "-t", filter, "-q", "1", "-v", "-d", "-C", "1", "-W", "120" })
                start.ArgumentList.Add(arg);
            var process = new Process { StartInfo = start };
            var sub = new MosquittoSub(process);
            process.OutputDataReceived += (_, e) => sub.Add(e.Data);
            process.ErrorDataReceived += (_, e) => sub.Add(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return Task.FromResult(sub);
        }

        /// <summary>True once the broker granted the subscription; false when it refused it or the client ended.</summary>
        public async Task<bool> WaitForSubscriptionAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            while (await NextLineAsync(timeout.Token) is { } line)
            {
                // "Subscribed (mid: 1): 1" grants QoS 1; 128 is the MQTT 3.1.1 failure code.
                if (line.StartsWith("Subscribed (mid:", StringComparison.Ordinal))
                    return !line.EndsWith(": 128", StringComparison.Ordinal);
            }
            return false;
        }

        /// <summary>The next message as (topic, payload), or null when the client ended without one.</summary>
        public async Task<(string Topic, string Payload)?> NextMessageAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            while (await NextLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("fabrica/", StringComparison.Ordinal) && line.IndexOf(' ', StringComparison.Ordinal) is var space and > 0)
                    return (line[..space], line[(space + 1)..]);
            }
            return null;
        }

        private async Task<string?> NextLineAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await _lines.Reader.WaitToReadAsync(cancellationToken) && _lines.Reader.TryRead(out var line) ? line : null;
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
                _process.Kill();
            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        private void Add(string? line)
        {
            if (line is null)
            {
                // Both stdout and stderr ended: the client is gone, nothing more will come.
                if (Interlocked.Decrement(ref _openStreams) == 0)
                    _lines.Writer.TryComplete();
                return;
            }
            lock (_transcript)
                _transcript.AppendLine(line);
            _lines.Writer.TryWrite(line);
        }
    }
}
