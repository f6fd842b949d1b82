using Fabrica.Simulator.Faults;
using Fabrica.Simulator.Physics;

namespace Fabrica.Simulator.Machines;

/// <summary>
/// A machine driven by an electric motor: run/stop, a bearing that wears, a temperature that follows the motor's
/// losses with a thermal lag, and the protections of a real drive (over-temperature, over-current trip; reset by
/// command once the cause is gone).
/// </summary>
public abstract class DrivenMachine : Machine
{
    /// <summary>How much the temperature rise grows when cooling fails.</summary>
    public const double OverheatingFactor = 3.0;

    public const double AmbientTemperature = 22;

    private FirstOrderLag _temperature;
    private FaultBits _trips;
    private bool _resetRequested;
    private bool _replaceBearingRequested;

    protected DrivenMachine(string id, MachineKind kind, int line, SimulationRandom random, double bearingLifeHours, double temperatureTimeConstant)
        : base(id, kind, line, random)
    {
        Bearing = new Bearing(bearingLifeHours, random.Uniform(0.05, 0.35));
        _temperature = new FirstOrderLag(AmbientTemperature, temperatureTimeConstant);
    }

    /// <summary>The run coil: true runs the machine, false stops it.</summary>
    public bool RunCommand { get; set; } = true;

    public Bearing Bearing { get; }

    /// <summary>°C of the winding or spindle, the temperature the protection watches.</summary>
    public double Temperature
    {
        get => _temperature.Value;
        set => _temperature.Value = value;
    }

    /// <summary>Velocity RMS on the bearing housing, mm/s.</summary>
    public double Vibration { get; private set; }

    /// <summary>Motor line current, A.</summary>
    public abstract double Current { get; }

    /// <summary>Current at rated load, A; the temperature rise is given for it.</summary>
    protected abstract double RatedCurrent { get; }

    /// <summary>Rise above ambient at rated current with healthy cooling, K.</summary>
    protected abstract double RatedTemperatureRise { get; }

    public abstract double TripTemperature { get; }

    /// <summary>Below this a fault reset clears an over-temperature trip.</summary>
    public double ResetTemperature => TripTemperature - 15;

    /// <summary>Rotation as a fraction of rated speed (for vibration).</summary>
    protected abstract double SpeedFraction { get; }

    /// <summary>Mechanical load as a fraction of rated (for wear and vibration).</summary>
    protected abstract double LoadFraction { get; }

    /// <summary>Vibration beyond the bearing's, e.g. from cavitation.</summary>
    protected virtual double ExtraVibration => 0;

    public bool Tripped => _trips != FaultBits.None;

    /// <summary>Run commanded and no trip: the drive may turn.</summary>
    protected bool Energized => RunCommand && !Tripped;

    public override FaultBits Faults => base.Faults | _trips;

    /// <summary>The fault-reset coil: clears trips at the next tick if their cause is gone.</summary>
    public void RequestFaultReset() => _resetRequested = true;

    public bool FaultResetPending => _resetRequested;

    /// <summary>The replace-bearings coil: at the next tick the bearing is new and an injected defect is gone.</summary>
    public void RequestBearingReplacement() => _replaceBearingRequested = true;

    public bool BearingReplacementPending => _replaceBearingRequested;

    protected void Trip(FaultBits reason) => _trips |= reason;

    protected sealed override void Advance(double dt)
    {
        HandleRequests();
        AdvanceDrive(dt);

        var turning = SpeedFraction > 0.01;
        Bearing.Advance(dt, turning, LoadFraction, IsInjected(FaultKind.BearingDefect));
        var cooling = IsInjected(FaultKind.Overheating) ? OverheatingFactor : 1.0;
        var target = ElectricMotor.SteadyTemperature(AmbientTemperature, Current, RatedCurrent, RatedTemperatureRise, cooling)
            + Bearing.FrictionHeating * Math.Min(1, SpeedFraction);
        _temperature.Advance(target, dt);
        _temperature.Value += Random.Gaussian(0.02);
        Vibration = Bearing.Vibration(SpeedFraction, LoadFraction, Random) + ExtraVibration;

        if (Temperature > TripTemperature)
            Trip(FaultBits.TrippedOverTemperature);
        if (State == MachineState.Running)
            RunSeconds += dt;
    }

    /// <summary>The machine's own physics for one tick: speeds, loads, flows, counters, power.</summary>
    protected abstract void AdvanceDrive(double dt);

    private void HandleRequests()
    {
        if (_replaceBearingRequested)
        {
            _replaceBearingRequested = false;
            Bearing.Replace();
            SetFault(FaultKind.BearingDefect, false);
        }

        if (_resetRequested)
        {
            _resetRequested = false;
            if (Temperature < ResetTemperature)
                _trips &= ~FaultBits.TrippedOverTemperature;
            _trips &= ~FaultBits.TrippedOverCurrent;
        }
    }
}
