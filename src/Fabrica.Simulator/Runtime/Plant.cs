using Fabrica.Simulator.Faults;
using Fabrica.Simulator.Machines;
using Fabrica.Simulator.Physics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Simulator.Runtime;

/// <summary>
/// The simulated factory: <see cref="PlantOptions.Lines"/> lines of a CNC machine, a conveyor, a pump and an energy
/// meter. Nothing here reads a clock: <see cref="Step"/> advances every machine by one tick of
/// <see cref="PlantOptions.StepSeconds"/>, so a test drives it directly and the same seed gives the same plant.
/// <see cref="PlantSimulator"/> calls <see cref="Step"/> on a timer and serves the machines over Modbus.
/// </summary>
public sealed class Plant
{
    private readonly Machine[] _stepOrder;
    private readonly Dictionary<string, Machine> _byId;
    private readonly (ScheduledFault Fault, Machine Machine)[] _schedule;
    private readonly bool[] _started;
    private readonly bool[] _ended;
    private readonly (MachineState State, FaultBits Faults)[] _last;
    private readonly ILogger _logger;
    private long _ticks;

    public Plant(PlantOptions? options = null, ILogger<Plant>? logger = null)
    {
        Options = options ?? new PlantOptions();
        Options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;

        var machines = new List<Machine>();
        var stepOrder = new List<Machine>();
        for (var line = 1; line <= Options.Lines; line++)
        {
            var conveyor = new ConveyorMotor($"conveyor-{line}", line, SimulationRandom.For(Options.Seed, $"conveyor-{line}"));
            var cnc = new CncMachine($"cnc-{line}", line, SimulationRandom.For(Options.Seed, $"cnc-{line}"), conveyor);
            var pump = new Pump($"pump-{line}", line, SimulationRandom.For(Options.Seed, $"pump-{line}"));
            var meter = new EnergyMeter($"meter-{line}", line, SimulationRandom.For(Options.Seed, $"meter-{line}"), [cnc, conveyor, pump]);
            machines.AddRange([cnc, conveyor, pump, meter]);
            // The belt moves before the CNC decides whether it can unload; the meter measures after all of them.
            stepOrder.AddRange([conveyor, cnc, pump, meter]);
        }

        Machines = machines;
        _stepOrder = [.. stepOrder];
        _byId = machines.ToDictionary(m => m.Id, StringComparer.Ordinal);
        _last = new (MachineState, FaultBits)[_stepOrder.Length];
        for (var i = 0; i < _stepOrder.Length; i++)
            _last[i] = (_stepOrder[i].State, _stepOrder[i].Faults);

        _schedule = [.. Options.Faults.Select(f => (f, Resolve(f)))];
        _started = new bool[_schedule.Length];
        _ended = new bool[_schedule.Length];
    }

    public PlantOptions Options { get; }

    /// <summary>Per line: cnc-N, conveyor-N, pump-N, meter-N (the order of their Modbus ports).</summary>
    public IReadOnlyList<Machine> Machines { get; }

    /// <summary>Ticks done; every machine's <c>tick_count</c> equals it (modulo 2³²) between steps.</summary>
    public long TickCount => Volatile.Read(ref _ticks);

    public double SimulationSeconds => TickCount * Options.StepSeconds;

    public Machine this[string id] => _byId.TryGetValue(id, out var machine) ? machine
        : throw new KeyNotFoundException($"The plant has no machine '{id}'; it has {string.Join(", ", _byId.Keys)}.");

    public T Get<T>(string id) where T : Machine => (T)this[id];

    /// <summary>Advances the whole plant by one tick. Not to be called concurrently with itself.</summary>
    public void Step()
    {
        var now = SimulationSeconds;
        ApplySchedule(now);
        var dt = Options.StepSeconds;
        for (var i = 0; i < _stepOrder.Length; i++)
        {
            var machine = _stepOrder[i];
            machine.Step(dt);
            var (state, faults) = (machine.State, machine.Faults);
            if (_last[i] != (state, faults) && (state == MachineState.Fault || _last[i].State == MachineState.Fault))
                SimulatorLog.StateChanged(_logger, machine.Id, state.ToString(), faults.ToString(), now + dt);
            _last[i] = (state, faults);
        }

        Volatile.Write(ref _ticks, _ticks + 1);
    }

    private void ApplySchedule(double now)
    {
        for (var i = 0; i < _schedule.Length; i++)
        {
            var (fault, machine) = _schedule[i];
            if (!_started[i] && now >= fault.At.TotalSeconds)
            {
                _started[i] = true;
                lock (machine.Sync)
                    machine.SetFault(fault.Kind, true);
                SimulatorLog.FaultStarted(_logger, machine.Id, fault.Kind.Name(), now);
            }

            if (_started[i] && !_ended[i] && fault.Duration is { } duration && now >= (fault.At + duration).TotalSeconds)
            {
                _ended[i] = true;
                lock (machine.Sync)
                    machine.SetFault(fault.Kind, false);
                SimulatorLog.FaultEnded(_logger, machine.Id, fault.Kind.Name(), now);
            }
        }
    }

    private Machine Resolve(ScheduledFault fault)
    {
        var machine = _byId.GetValueOrDefault(fault.MachineId)
            ?? throw new ArgumentException($"Fault {fault}: the plant has no machine '{fault.MachineId}'; it has {string.Join(", ", _byId.Keys)}.", nameof(fault));
        if (!machine.SupportedFaults.Contains(fault.Kind))
            throw new ArgumentException($"Fault {fault}: {machine.Id} has no fault '{fault.Kind.Name()}'; it has {string.Join(", ", machine.SupportedFaults.Select(k => k.Name()))}.", nameof(fault));
        return machine;
    }
}
