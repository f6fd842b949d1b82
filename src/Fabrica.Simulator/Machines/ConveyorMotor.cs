using Fabrica.Simulator.Faults;
using Fabrica.Simulator.Physics;

namespace Fabrica.Simulator.Machines;

/// <summary>
/// A belt conveyor behind a frequency converter: carries the CNC's good parts and bulk material fed from upstream
/// stations (a load that drifts between 30 and 120 kg). A jam stalls the belt; the drive then runs at its current
/// limit and trips on over-current after 3 s, as a real inverter does.
/// </summary>
public sealed class ConveyorMotor : DrivenMachine
{
    private const double RatedPowerKw = 5.5;
    private const double MaxSpeed = 60;
    private const double OverCurrentTripSeconds = 3;

    private FirstOrderLag _speed = new(0, 1.5);
    private FirstOrderLag _load;
    private double _loadTarget;
    private double _power;
    private double _current;
    private double _overCurrentSeconds;

    public ConveyorMotor(string id, int line, SimulationRandom random)
        : base(id, MachineKind.Conveyor, line, random, bearingLifeHours: 3000, temperatureTimeConstant: 400)
    {
        _loadTarget = random.Uniform(30, 120);
        _load = new FirstOrderLag(_loadTarget, 60);
    }

    public override IReadOnlyList<FaultKind> SupportedFaults { get; } = [FaultKind.BearingDefect, FaultKind.Overheating, FaultKind.BeltJam];

    /// <summary>Belt speed set-point, m/min (0–60).</summary>
    public double SpeedSetpoint { get; set; } = 30;

    /// <summary>Belt speed, m/min.</summary>
    public double BeltSpeed => _speed.Value;

    /// <summary>Material on the belt, kg.</summary>
    public double Load => _load.Value;

    /// <summary>Parts carried away from the CNC.</summary>
    public uint ItemsConveyed { get; private set; }

    /// <summary>Whether the CNC can put a finished part on the belt: the belt is moving.</summary>
    public bool AcceptsParts => Energized && !IsInjected(FaultKind.BeltJam) && _speed.Value > 1;

    public override double Power => _power;

    public override double Current => _current;

    public override MachineState State => Tripped ? MachineState.Fault : RunCommand ? MachineState.Running : MachineState.Stopped;

    public override double TripTemperature => 100;

    protected override double RatedCurrent { get; } = ElectricMotor.Current(RatedPowerKw, 0.82);

    protected override double RatedTemperatureRise => 80;

    protected override double SpeedFraction => _speed.Value / MaxSpeed * 2;

    protected override double LoadFraction => _power / RatedPowerKw;

    internal void AcceptPart() => ItemsConveyed = unchecked(ItemsConveyed + 1);

    protected override void AdvanceDrive(double dt)
    {
        if (Random.Chance(Math.Min(1, dt / 120)))
            _loadTarget = Random.Uniform(30, 120);
        var jammed = IsInjected(FaultKind.BeltJam);
        if (jammed)
            _speed.Value = 0; // the belt stops where it stuck
        var v = jammed ? 0 : _speed.Advance(Energized ? Math.Clamp(SpeedSetpoint, 0, MaxSpeed) : 0, dt);
        if (v > 0.5)
            _load.Advance(_loadTarget, dt);

        if (Energized && jammed)
        {
            // Stalled: the inverter holds its current limit at a poor power factor.
            _current = 2.2 * RatedCurrent * (1 + Random.Gaussian(0.01));
            _power = Math.Sqrt(3) * ElectricMotor.LineVoltage * _current * 0.3 / 1000;
        }
        else if (Energized)
        {
            _power = 0.3 + (0.5 + 0.015 * _load.Value) * (v / 30) * (1 + Random.Gaussian(0.01));
            _current = ElectricMotor.Current(_power, 0.82);
        }
        else
        {
            _power = 0;
            _current = 0;
        }

        _overCurrentSeconds = _current > 1.5 * RatedCurrent ? _overCurrentSeconds + dt : 0;
        if (_overCurrentSeconds >= OverCurrentTripSeconds)
        {
            Trip(FaultBits.TrippedOverCurrent);
            _overCurrentSeconds = 0;
        }
    }
}
