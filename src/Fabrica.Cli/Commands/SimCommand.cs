using System.ComponentModel;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Fabrica.Simulator.Faults;
using Fabrica.Simulator.Modbus;
using Fabrica.Simulator.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands;

/// <summary>
/// <c>fabrica sim</c>: the simulated factory (docs/simulator.md) until SIGTERM or Ctrl+C — one Modbus TCP server per
/// machine. Prints one ready line on stdout, <c>fabrica sim ready modbus=&lt;ports&gt; machines=&lt;ids&gt;</c> (ports in the
/// order of the machines); logs go to stderr.
/// </summary>
internal sealed class SimCommand : AsyncCommand<SimCommand.Settings>
{
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--bind <ADDRESS>")]
        [Description("Address the Modbus servers listen on (default 127.0.0.1; 0.0.0.0 for the network)")]
        public string Bind { get; init; } = "127.0.0.1";

        [CommandOption("--base-port <PORT>")]
        [Description("Machine i listens on base-port + i (default 5020); 0 = free ports, printed in the ready line")]
        public int BasePort { get; init; } = 5020;

        [CommandOption("--speed <FACTOR>")]
        [Description("Simulated seconds per wall-clock second (default 1; 3600 = an hour per second)")]
        public double Speed { get; init; } = 1;

        [CommandOption("--seed <N>")]
        [Description("Seed of the plant's randomness (default 1): same seed, same plant")]
        public int Seed { get; init; } = 1;

        [CommandOption("--tick <DURATION>")]
        [Description("Wall-clock period of a simulation tick (default 100ms)")]
        public string Tick { get; init; } = "100ms";

        [CommandOption("--lines <N>")]
        [Description("Number of identical lines (cnc, conveyor, pump, meter each; default 1)")]
        public int Lines { get; init; } = 1;

        [CommandOption("--fault <SPEC>")]
        [Description("Scheduled fault machine:fault@time[+duration] in simulated time, e.g. pump-1:bearing@10m (repeatable)")]
        public string[] Faults { get; init; } = [];

        [CommandOption("--print-map")]
        [Description("Print the register maps (Markdown, as in docs/simulator.md) and exit")]
        public bool PrintMap { get; init; }

        [CommandOption("--log-format <FORMAT>")]
        [Description("text (default) or json")]
        public string LogFormat { get; init; } = "text";

        public override ValidationResult Validate()
        {
            if (!IPAddress.TryParse(Bind, out _))
                return ValidationResult.Error($"--bind: '{Bind}' is not an IP address.");
            if (BasePort is < 0 or > 65535)
                return ValidationResult.Error("--base-port: 0 (free ports) or 1–65535.");
            if (!DurationText.TryParse(Tick, out var tick) || tick > TimeSpan.FromHours(1))
                return ValidationResult.Error($"--tick: '{Tick}' is not a duration up to 1h, e.g. 100ms, 1s.");
            if (!(Speed > 0 && Speed <= 1_000_000))
                return ValidationResult.Error("--speed: more than 0, at most 1000000.");
            if (Lines is < 1 or > 1000)
                return ValidationResult.Error("--lines: 1 to 1000.");
            foreach (var fault in Faults)
            {
                if (!ScheduledFault.TryParse(fault, out _, out var error))
                    return ValidationResult.Error($"--fault: {error}");
            }

            return ValidationResult.Success();
        }

        public PlantOptions ToPlantOptions()
        {
            DurationText.TryParse(Tick, out var tick);
            return new PlantOptions
            {
                Seed = Seed,
                Lines = Lines,
                Tick = tick,
                Speed = Speed,
                Faults = [.. Faults.Select(f => ScheduledFault.TryParse(f, out var fault, out _) ? fault : throw new CliException(f))],
            };
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var plantOptions = settings.ToPlantOptions();
        if (settings.PrintMap)
        {
            foreach (var machine in new Plant(plantOptions with { Lines = 1 }).Machines)
                Console.WriteLine(RegisterMapDocument.ToMarkdown(MachineRegisterMaps.For(machine)));
            return 0;
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

        PlantSimulator simulator;
        try
        {
            simulator = PlantSimulator.Start(new SimulatorOptions
            {
                Plant = plantOptions,
                Bind = IPAddress.Parse(settings.Bind),
                BasePort = settings.BasePort,
            }, TimeProvider.System, loggers);
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable or SocketError.AccessDenied)
        {
            throw new CliException($"cannot listen on {settings.Bind} ports {settings.BasePort}–{settings.BasePort + settings.Lines * 4 - 1}: {e.Message}. "
                + "Another program (perhaps another fabrica sim) listens there: stop it or choose --base-port (0 = free ports).");
        }

        await using (simulator)
        {
            var ports = string.Join(",", simulator.Endpoints.Select(e => e.EndPoint.Port.ToString(CultureInfo.InvariantCulture)));
            var machines = string.Join(",", simulator.Endpoints.Select(e => e.Machine.Id));
            Console.WriteLine($"fabrica sim ready modbus={ports} machines={machines}");
            try
            {
                await Task.WhenAny(Task.Delay(Timeout.Infinite, stop.Token), simulator.Completion);
            }
            catch (OperationCanceledException)
            {
                // SIGTERM or Ctrl+C.
            }

            if (simulator.Completion.IsFaulted)
                throw simulator.Completion.Exception!.GetBaseException();
        }

        return 0;
    }
}
