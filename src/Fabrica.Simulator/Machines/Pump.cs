using Fabrica.Simulator.Faults;
using Fabrica.Simulator.Physics;

namespace Fabrica.Simulator.Machines;

/// <summary>
/// A centrifugal pump with a variable-speed drive, pumping through a control valve (<see cref="PumpCurve.Line"/>).
/// Stopping it lets the motor coast down in about a second, so flow and pressure fall within a few 100 ms ticks.
/// </summary>
public sealed class Pump : DrivenMachine
{
    /// <summary>Valve actuator stroke rate: 10 % of travel per second.</summary>
    private const double ValveRatePerSecond = 0.10;
    private const double RatedPowerKw = 30;
    private const double ShutoffPowerKw = 4;
    private const double WireToWaterEfficiency = 0.80;

    private FirstOrderLag _speed = new(0, 0.4);
    private FirstOrderLag _flow = new(0, 0.3);
    private double _valve;
    private double _power;

    public Pump(string id, int line, SimulationRandom random)
        : base(id, MachineKind.Pump, line, random, bearingLifeHours: 2000, temperatureTimeConstant: 600)
    {
        _valve = ValveSetpoint / 100;
    }

    public override IReadOnlyList<FaultKind> SupportedFaults { get; } = [FaultKind.BearingDefect, FaultKind.Overheating, FaultKind.SuctionClog];

    /// <summary>Valve opening set-point, 0–100 %.</summary>
    public double ValveSetpoint { get; set; } = 75;

    /// <summary>Drive speed set-point, 0–100 % of rated speed.</summary>
    public double SpeedSetpoint { get; set; } = 100;

    /// <summary>Actual valve opening, %.</summary>
    public double ValvePosition => _valve * 100;

    /// <summary>Actual speed, % of rated.</summary>
    public double Speed => _speed.Value * 100;

    /// <summary>Flow, m³/h.</summary>
    public double Flow { get; private set; }

    /// <summary>Discharge pressure, bar (gauge).</summary>
    public double Pressure { get; private set; }

    public override double Power => _power;

    public override double Current => Energized || _power > 0.05 ? ElectricMotor.Current(_power) : 0;

    public override MachineState State => Tripped ? MachineState.Fault : RunCommand ? MachineState.Running : MachineState.Stopped;

    public override double TripTemperature => 100;

    protected override double RatedCurrent { get; } = ElectricMotor.Current(RatedPowerKw);

    protected override double RatedTemperatureRise => 70;

    protected override double SpeedFraction => _speed.Value;

    protected override double LoadFraction => _power / RatedPowerKw;

    protected override double ExtraVibration => IsInjected(FaultKind.SuctionClog) && _speed.Value > 0.2
        ? _speed.Value * (2.5 + Math.Abs(Random.Gaussian(0.8)))
        : 0;

    protected override void AdvanceDrive(double dt)
    {
        var valveTarget = Math.Clamp(ValveSetpoint / 100, 0, 1);
        var stroke = ValveRatePerSecond * dt;
        _valve = Math.Abs(valveTarget - _valve) <= stroke ? valveTarget : _valve + Math.Sign(valveTarget - _valve) * stroke;

        var n = _speed.Advance(Energized ? Math.Clamp(SpeedSetpoint / 100, 0, 1) : 0, dt);
        var clogged = IsInjected(FaultKind.SuctionClog);
        var headFactor = clogged ? 0.6 : 1.0;
        var q = _flow.Advance(PumpCurve.Line.Flow(n, _valve, headFactor), dt);
        var noise = clogged ? 0.04 : 0.005;
        Flow = Math.Max(0, q * (1 + Random.Gaussian(noise)));
        Pressure = Math.Max(0, PumpCurve.Line.Head(n, q, headFactor) + (n > 0.05 ? Random.Gaussian(0.02) : 0));
        _power = n < 0.005 ? 0 : ShutoffPowerKw * n * n * n + PumpCurve.HydraulicPower(q, Pressure) / WireToWaterEfficiency;
    }
}
