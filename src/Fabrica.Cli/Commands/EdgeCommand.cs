using System.ComponentModel;
using System.Runtime.InteropServices;
using Fabrica.Edge.Adapters;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands;

/// <summary>
/// <c>fabrica edge --config edge.json</c>: the edge gateway (docs/edge.md) until SIGTERM or Ctrl+C. Prints one ready
/// line, <c>fabrica edge ready id=&lt;edgeId&gt;</c>, on stdout; logs go to stderr.
/// </summary>
internal sealed class EdgeCommand : AsyncCommand<EdgeCommand.Settings>
{
    /// <summary>The adapter kinds this build ships: Modbus TCP and OPC UA.</summary>
    internal static IReadOnlyList<IDeviceAdapterFactory> Adapters { get; } =
        [new Fabrica.Edge.Adapters.Modbus.ModbusDeviceAdapterFactory(), new Fabrica.Edge.Adapters.OpcUa.OpcUaDeviceAdapterFactory()];

    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--config <FILE>")]
        [Description("The edge configuration file (JSON, see docs/edge.md)")]
        public string Config { get; init; } = "edge.json";

        [CommandOption("--log-format <FORMAT>")]
        [Description("text (default) or json")]
        public string LogFormat { get; init; } = "text";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        EdgeOptions options;
        try
        {
            options = EdgeConfigLoader.Load(settings.Config);
        }
        catch (EdgeConfigException e)
        {
            throw new CliException(e.Message);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true; // stop cleanly instead of the default immediate exit
            stop.Cancel();
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var loggers = LoggerFactory.Create(logging => CliLogging.Configure(logging, settings.LogFormat));

        var runtime = new EdgeRuntime(options, new EdgeRuntimeServices { Adapters = Adapters, LoggerFactory = loggers });
        await using (runtime)
        {
            try
            {
                await runtime.StartAsync(stop.Token);
            }
            catch (EdgeConfigException e)
            {
                throw new CliException(e.Errors.Count > 0 ? new EdgeConfigException(settings.Config, e.Errors).Message : e.Message);
            }
            if (runtime.BufferRecovery is { Clean: false } recovery)
                AnsiConsole.MarkupLineInterpolated($"[yellow]edge buffer repaired:[/] {string.Join("; ", recovery.Repairs)}");
            Console.WriteLine($"fabrica edge ready id={options.Id}");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // SIGTERM or Ctrl+C: stop below, committing what was read.
            }
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await runtime.StopAsync(grace.Token);
        }
        return 0;
    }
}
