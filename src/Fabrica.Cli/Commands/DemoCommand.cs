using Fabrica.Cli.Demo;
using Fabrica.Security;
using Fabrica.Security.Devices;
using MQTTnet;
using MQTTnet.Protocol;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands;

/// <summary>
/// <c>fabrica demo</c>: <c>serve</c> plus a built-in publisher. The demo devices connect over real MQTT with their
/// own tokens, exactly as a device on the network would, so what a newcomer sees is the whole ingest path.
/// </summary>
internal sealed class DemoCommand : AsyncCommand<ServeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ServeSettings settings, CancellationToken cancellationToken)
    {
        await using var server = await ServeCommand.StartAsync(settings, cancellationToken);
        // SIGTERM stops the host, not this loop: stop publishing when either asks.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, server.Stopping);
        cancellationToken = stop.Token;
        var registry = server.Services.GetRequiredService<DeviceRegistry>();
        var clients = new Dictionary<string, IMqttClient>();
        try
        {
            foreach (var device in DemoPlant.Devices)
            {
                var token = await TokenForAsync(registry, device, cancellationToken);
                var client = new MqttClientFactory().CreateMqttClient();
                await client.ConnectAsync(new MqttClientOptionsBuilder()
                    .WithTcpServer("127.0.0.1", server.Endpoints.MqttPort)
                    .WithClientId($"demo-{device}")
                    .WithCredentials(device, token)
                    .Build(), cancellationToken);
                clients[device] = client;
            }
            Console.WriteLine($"demo: publishing {string.Join(", ", DemoPlant.Devices)} every second. Try:");
            Console.WriteLine($"  ./fabrica query press-1 --latest --server http://127.0.0.1:{server.Endpoints.HttpPort} --data {settings.ToServerOptions().DataDirectory}");
            await PublishAsync(clients, cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while connecting or publishing (the host may already be gone): a normal end of the demo.
        }
        finally
        {
            foreach (var client in clients.Values)
                client.Dispose();
        }
        return 0;
    }

    private static async Task PublishAsync(Dictionary<string, IMqttClient> clients, CancellationToken cancellationToken)
    {
        var plant = new DemoPlant();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            foreach (var (device, payload) in plant.Sample(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()))
            {
                await clients[device].PublishAsync(new MqttApplicationMessageBuilder()
                    .WithTopic($"fabrica/devices/{device}/telemetry")
                    .WithPayload(payload)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build(), cancellationToken);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    /// <summary>Registers a demo device, or issues it a new token when an earlier demo run registered it.</summary>
    private static async Task<string> TokenForAsync(DeviceRegistry registry, string device, CancellationToken cancellationToken)
    {
        var caller = Caller.System("demo");
        if (await registry.RotateTokenAsync(device, caller, cancellationToken) is { } rotated)
            return rotated.Token;
        return (await registry.RegisterAsync(device, device, caller, cancellationToken)).Token;
    }
}
