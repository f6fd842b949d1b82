using System.Net;
using Fabrica.Cli.Demo;
using Fabrica.Edge.Adapters.Modbus;
using Fabrica.Edge.Runtime;
using Fabrica.Security.Devices;
using Fabrica.Security.Gateways;
using Fabrica.Simulator.Runtime;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands;

/// <summary>
/// <c>fabrica demo</c>: the platform, the simulated factory and an edge gateway in one process, each as it runs alone
/// (<c>fabrica serve</c>, <c>fabrica sim</c>, <c>fabrica edge</c>): the simulator serves line 1 over Modbus TCP on
/// free loopback ports, the edge polls every machine's register map each second over real Modbus and publishes over
/// real MQTT with its own gateway token, buffering on disk. SIGTERM or Ctrl+C stops all three.
/// </summary>
internal sealed class DemoCommand : AsyncCommand<ServeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ServeSettings settings, CancellationToken cancellationToken)
    {
        await using var server = await ServeCommand.StartAsync(settings, cancellationToken);
        // SIGTERM stops the host, not this command: stop the edge and the simulator when either asks.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, server.Stopping);
        var loggers = server.Services.GetRequiredService<ILoggerFactory>();
        var dataDirectory = Path.GetFullPath(settings.ToServerOptions().DataDirectory);
        PlantSimulator? simulator = null;
        EdgeRuntime? edge = null;
        try
        {
            simulator = PlantSimulator.Start(new SimulatorOptions
            {
                Bind = IPAddress.Loopback,
                BasePort = 0,
                Plant = new PlantOptions { Lines = 1 },
            }, TimeProvider.System, loggers);
            var machines = simulator.Endpoints;
            await DemoPlant.EnsureAsync(server.Services.GetRequiredService<Fabrica.Platform.Models.ModelCatalog>(), stop.Token);
            var token = await DemoEdge.RegisterAsync(server.Services.GetRequiredService<GatewayRegistry>(),
                server.Services.GetRequiredService<DeviceRegistry>(), machines.Select(m => m.Machine.Id), stop.Token);
            var options = DemoEdge.Options(token, server.Endpoints.MqttPort, Path.Combine(dataDirectory, "demo-edge-buffer"), machines);
            edge = new EdgeRuntime(options, new EdgeRuntimeServices { Adapters = [new ModbusDeviceAdapterFactory()], LoggerFactory = loggers });
            await edge.StartAsync(stop.Token);

            Console.WriteLine($"demo: simulated line 1 on Modbus TCP ({string.Join(", ", machines.Select(m => $"{m.Machine.Id}=127.0.0.1:{m.EndPoint.Port}"))});");
            Console.WriteLine($"      edge {DemoEdge.Id} polls every machine each {DemoEdge.PollPeriod.TotalSeconds:0} s and publishes over MQTT. Try:");
            Console.WriteLine($"  ./fabrica query pump-1 --latest --server http://127.0.0.1:{server.Endpoints.HttpPort} --data {dataDirectory}");
            Console.WriteLine($"  the console: http://localhost:{server.Endpoints.HttpPort}/ (sign in with the token in {Path.Combine(dataDirectory, "admin.token")})");
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // Stopped while starting or running (the host may already be going): a normal end of the demo.
        }
        finally
        {
            // Shutting down must not turn into a crash: whatever the edge or simulator throw on the way out is reported.
            if (edge is not null)
                await StopQuietlyAsync("edge", async () =>
                {
                    using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await edge.StopAsync(grace.Token);
                    await edge.DisposeAsync();
                });
            if (simulator is not null)
                await StopQuietlyAsync("simulator", async () => await simulator.DisposeAsync());
        }
        return 0;
    }

    private static async Task StopQuietlyAsync(string part, Func<Task> stop)
    {
        try
        {
            await stop();
        }
        catch (Exception e)
        {
            // The platform may have gone first; what the edge read is in its buffer and goes out at the next start.
            Console.Error.WriteLine($"demo: the {part} stopped with {e.GetType().Name}: {e.Message}");
        }
    }
}
