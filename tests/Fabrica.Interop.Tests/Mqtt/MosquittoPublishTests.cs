using System.Diagnostics;
using System.Globalization;
using System.Text;
using Fabrica.Interop.Tests.Infrastructure;

namespace Fabrica.Interop.Tests.Mqtt;

/// <summary>A client nobody here wrote (Debian's mosquitto_pub) publishes to our broker; the API gives it all back.</summary>
public sealed class MosquittoPublishTests
{
    [Fact]
    public async Task Ten_thousand_qos1_messages_from_mosquitto_pub_all_come_back_from_the_query_api()
    {
        using var data = new TempDirectory();
        using var server = await ServerProcess.StartAsync(data.Path);
        using var client = new PlatformClient(server);
        var token = await client.RegisterDeviceAsync("press-1");

        const int count = 10_000;
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - count;
        var lines = new StringBuilder();
        for (var i = 0; i < count; i++)
            lines.Append(CultureInfo.InvariantCulture, $"{{\"ts\": {start + i}, \"values\": {{\"seq\": {i}, \"temperature\": {20 + i % 50 * 0.1:0.0}}}}}\n");

        var exit = await RunMosquittoPubAsync(server.MqttPort, "press-1", token, "fabrica/devices/press-1/telemetry", lines.ToString());
        Assert.Equal(0, exit);

        var samples = await client.ReadRawAsync("press-1", "seq", start, start + count);
        Assert.Equal(count, samples.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(start + i, samples[i].Ts);
            Assert.Equal(i, samples[i].Value);
        }
        var temperatures = await client.ReadRawAsync("press-1", "temperature", start, start + count);
        Assert.Equal(count, temperatures.Count);
        Assert.Equal(20 + 9999 % 50 * 0.1, temperatures[^1].Value, 9);
    }

    [Fact]
    public async Task Mosquitto_pub_with_a_wrong_token_is_refused()
    {
        using var data = new TempDirectory();
        using var server = await ServerProcess.StartAsync(data.Path);
        using var client = new PlatformClient(server);
        await client.RegisterDeviceAsync("press-2");

        var exit = await RunMosquittoPubAsync(server.MqttPort, "press-2", "fbd_wrong", "fabrica/devices/press-2/telemetry", "{\"x\": 1}\n");

        Assert.NotEqual(0, exit);
    }

    private static async Task<int> RunMosquittoPubAsync(int port, string user, string password, string topic, string stdin)
    {
        var info = new ProcessStartInfo("mosquitto_pub")
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-V", "mqttv311", "-i", user,
                     "-u", user, "-P", password, "-t", topic, "-q", "1", "-l" })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        _ = await stderr;
        return process.ExitCode;
    }
}
