using Fabrica.Simulator.Faults;
using Fabrica.Simulator.Physics;

namespace Fabrica.Simulator.Machines;

/// <summary>
/// One simulated machine. The plant advances it with <see cref="Step"/>; Modbus clients read and write it from
/// their connections. Both hold <see cref="Sync"/>, so a client always reads the values of one whole tick and a
/// write lands between two ticks.
/// </summary>
public abstract class Machine
{
    private readonly HashSet<FaultKind> _injected = [];

    protected Machine(string id, MachineKind kind, int line, SimulationRandom random)
    {
        Id = id;
        Kind = kind;
        Line = line;
        Random = random;
    }

    public string Id { get; }

    public MachineKind Kind { get; }

    /// <summary>The number of the line the machine belongs to (1, 2, …).</summary>
    public int Line { get; }

    /// <summary>Held while the machine steps and while a client reads or writes it.</summary>
    public Lock Sync { get; } = new();

    /// <summary>Ticks since start; increments exactly once per <see cref="Step"/> (wraps at 2³²).</summary>
    public uint TickCount { get; private set; }

    /// <summary>Simulated seconds since start.</summary>
    public double SimulationSeconds { get; private set; }

    /// <summary>Simulated seconds in <see cref="MachineState.Running"/>.</summary>
    public double RunSeconds { get; protected set; }

    public abstract MachineState State { get; }

    /// <summary>Electrical power drawn (kW), which the line's energy meter sums.</summary>
    public abstract double Power { get; }

    /// <summary>The faults this kind of machine can be given.</summary>
    public abstract IReadOnlyList<FaultKind> SupportedFaults { get; }

    public virtual FaultBits Faults
    {
        get
        {
            var bits = FaultBits.None;
            foreach (var kind in _injected)
                bits |= kind switch
                {
                    FaultKind.BearingDefect => FaultBits.BearingDefect,
                    FaultKind.Overheating => FaultBits.Overheating,
                    _ => FaultBits.MachineSpecific,
                };
            return bits;
        }
    }

    protected SimulationRandom Random { get; }

    public bool IsInjected(FaultKind kind) => _injected.Contains(kind);

    /// <summary>Starts (<paramref name="active"/>) or ends a fault; callers outside a step hold <see cref="Sync"/>.</summary>
    public void SetFault(FaultKind kind, bool active)
    {
        if (!SupportedFaults.Contains(kind))
            throw new ArgumentException($"{Id} ({Kind}) has no fault '{kind.Name()}'; it has {string.Join(", ", SupportedFaults.Select(k => k.Name()))}.", nameof(kind));
        if (active)
            _injected.Add(kind);
        else
            _injected.Remove(kind);
    }

    /// <summary>Advances the machine by one tick of <paramref name="dt"/> simulated seconds.</summary>
    public void Step(double dt)
    {
        lock (Sync)
        {
            Advance(dt);
            TickCount = unchecked(TickCount + 1);
            SimulationSeconds += dt;
        }
    }

    protected abstract void Advance(double dt);

    public override string ToString() => $"{Id} ({State})";
}
