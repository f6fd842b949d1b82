namespace Fabrica.Simulator.Machines;

/// <summary>What a machine is doing; the numbers are the values of its <c>state</c> register.</summary>
public enum MachineState
{
    /// <summary>The run coil is off.</summary>
    Stopped = 0,

    Running = 1,

    /// <summary>Switched on but not producing: blocked by the next machine, changing a tool, nothing to do.</summary>
    Idle = 2,

    /// <summary>Tripped by a protection (over-temperature, over-current); needs the fault-reset coil once the cause is gone.</summary>
    Fault = 3,
}

/// <summary>The kinds of machine of a line; the numbers are the values of the <c>kind</c> register.</summary>
public enum MachineKind
{
    Cnc = 1,
    Conveyor = 2,
    Pump = 3,
    EnergyMeter = 4,
}

/// <summary>Bits of the <c>fault_bits</c> register: injected causes (low byte) and protection trips (high byte).</summary>
[Flags]
public enum FaultBits : ushort
{
    None = 0,
    BearingDefect = 1 << 0,
    Overheating = 1 << 1,

    /// <summary>The machine's own fault: tool breakage (CNC), belt jam (conveyor), suction clog (pump), voltage sag (meter).</summary>
    MachineSpecific = 1 << 2,

    TrippedOverTemperature = 1 << 8,
    TrippedOverCurrent = 1 << 9,
}
