using System.Diagnostics;
using System.Net;
using Fabrica.Protocols.Modbus;
using Fabrica.Simulator.Machines;
using Fabrica.Simulator.Modbus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Simulator.Runtime;

/// <summary>A machine as the network sees it: its Modbus TCP endpoint and register map.</summary>
public sealed record MachineEndpoint(Machine Machine, IPEndPoint EndPoint, RegisterMap Map);

/// <summary>
/// The simulated factory running: one Modbus TCP server per machine (its own port, as each machine would have its
/// own PLC) and a clock that steps the <see cref="Plant"/> every tick. <c>fabrica sim</c> and <c>fabrica demo</c>
/// start it with <see cref="Start"/>; tests pass a FakeTimeProvider or <see cref="SimulatorOptions.RunClock"/> = false
/// and call <see cref="Plant.Step"/> themselves.
/// </summary>
public sealed class PlantSimulator : IAsyncDisposable
{
    private readonly List<ModbusTcpServer> _servers = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private Task _clock = Task.CompletedTask;

    private PlantSimulator(SimulatorOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        Options = options;
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger<PlantSimulator>();
        Plant = new Plant(options.Plant, loggerFactory.CreateLogger<Plant>());
    }

    public SimulatorOptions Options { get; }

    public Plant Plant { get; }

    /// <summary>One per machine, in <see cref="Plant.Machines"/> order.</summary>
    public IReadOnlyList<MachineEndpoint> Endpoints { get; private set; } = [];

    /// <summary>Ends when the clock stops: on dispose, or with the exception a step threw.</summary>
    public Task Completion => _clock;

    public MachineEndpoint this[string machineId] => Endpoints.FirstOrDefault(e => e.Machine.Id == machineId)
        ?? throw new KeyNotFoundException($"No machine '{machineId}'.");

    /// <summary>Builds the plant, binds every machine's server (throwing if a port is taken) and starts the clock.</summary>
    public static PlantSimulator Start(SimulatorOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        options ??= new SimulatorOptions();
        if (options.BasePort is < 0 or > 65535 || (options.BasePort > 0 && options.BasePort + options.Plant.Lines * 4 - 1 > 65535))
            throw new ArgumentOutOfRangeException(nameof(options), options.BasePort, "The ports base-port … base-port + machines − 1 must lie within 1–65535 (or base-port 0 for free ports).");
        loggerFactory ??= NullLoggerFactory.Instance;
        var simulator = new PlantSimulator(options, timeProvider ?? TimeProvider.System, loggerFactory);
        try
        {
            simulator.Serve(loggerFactory.CreateLogger<ModbusTcpServer>());
        }
        catch
        {
            simulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        if (options.RunClock)
        {
            // Created here, not in the loop: the first period counts from Start, whichever thread runs the loop.
            var timer = new PeriodicTimer(options.Plant.Tick, simulator._timeProvider);
            simulator._clock = simulator.RunClockAsync(timer, simulator._stopping.Token);
        }
        return simulator;
    }

    private void Serve(ILogger<ModbusTcpServer> serverLogger)
    {
        var endpoints = new List<MachineEndpoint>();
        for (var i = 0; i < Plant.Machines.Count; i++)
        {
            var machine = Plant.Machines[i];
            var map = MachineRegisterMaps.For(machine);
            var unit = new MachineModbusUnit(machine, map);
            var model = new ModbusMemoryDataModel();
            foreach (var unitId in Options.UnitIds)
                model.Add(unitId, unit);
            var port = Options.BasePort == 0 ? 0 : Options.BasePort + i;
            var server = new ModbusTcpServer(model, new ModbusServerOptions
            {
                EndPoint = new IPEndPoint(Options.Bind, port),
                MaxConnections = Options.MaxConnectionsPerMachine,
            }, serverLogger);
            _servers.Add(server);
            server.Start();
            endpoints.Add(new MachineEndpoint(machine, server.LocalEndPoint, map));
            SimulatorLog.Listening(_logger, machine.Id, server.LocalEndPoint.ToString());
        }

        Endpoints = endpoints;
    }

    /// <summary>
    /// One <see cref="Plant.Step"/> per timer tick. A late tick is not made up with extra steps: the simulated time
    /// then falls behind the wall clock, but no tick ever advances the plant by more than one step.
    /// </summary>
    private async Task RunClockAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        using var _ = timer;
        var tickMs = Options.Plant.Tick.TotalMilliseconds;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var started = Stopwatch.GetTimestamp();
                Plant.Step();
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (elapsed > tickMs)
                    SimulatorLog.ClockBehind(_logger, elapsed, tickMs);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
            await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _clock.ConfigureAwait(false);
        }
        catch (Exception) when (_clock.IsFaulted)
        {
            // A failed step already ended the clock; stopping still closes the servers.
        }

        foreach (var server in _servers)
            await server.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
