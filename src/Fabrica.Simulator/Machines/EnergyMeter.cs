using Fabrica.Simulator.Faults;
using Fabrica.Simulator.Physics;

namespace Fabrica.Simulator.Machines;

/// <summary>
/// The line's incoming energy meter (three-phase, 230/400 V, 50 Hz): measures the sum of its machines' power plus
/// the line's base load (lighting, compressed air, controls) and integrates energy in Wh, which only ever grows.
/// </summary>
public sealed class EnergyMeter : Machine
{
    private const double BaseLoadKw = 2.5;
    private const double NominalVoltage = 230;

    private readonly IReadOnlyList<Machine> _loads;
    private FirstOrderLag _frequencyDrift = new(50, 30);
    private double _energyWh;

    public EnergyMeter(string id, int line, SimulationRandom random, IReadOnlyList<Machine> loads)
        : base(id, MachineKind.EnergyMeter, line, random)
    {
        _loads = loads;
        _energyWh = Math.Round(random.Uniform(10_000, 50_000) * 1000);
    }

    public override IReadOnlyList<FaultKind> SupportedFaults { get; } = [FaultKind.VoltageSag];

    public override MachineState State => MachineState.Running;

    /// <summary>Active power of the whole line, kW.</summary>
    public override double Power => ActivePower;

    public double ActivePower { get; private set; }

    public double ApparentPower => PowerFactor > 0 ? ActivePower / PowerFactor : 0;

    /// <summary>Phase-to-neutral voltage, V (mean of the three phases).</summary>
    public double Voltage { get; private set; } = NominalVoltage;

    /// <summary>Phase current, A (mean of the three phases).</summary>
    public double Current => ActivePower * 1000 / (3 * Voltage * PowerFactor);

    public double PowerFactor { get; private set; } = 0.9;

    public double Frequency { get; private set; } = 50;

    /// <summary>Active energy imported, Wh; monotonic.</summary>
    public double EnergyWh => _energyWh;

    protected override void Advance(double dt)
    {
        var sum = BaseLoadKw;
        foreach (var load in _loads)
            sum += load.Power;
        ActivePower = Math.Max(0, sum * (1 + Random.Gaussian(0.003)));
        PowerFactor = Math.Clamp(0.78 + 0.15 * Math.Min(1, ActivePower / 40) + Random.Gaussian(0.002), 0.5, 0.99);
        var sag = IsInjected(FaultKind.VoltageSag) ? 0.8 : 1.0;
        Voltage = NominalVoltage * sag * (1 - 0.01 * Math.Min(1, ActivePower / 60)) + Random.Gaussian(0.4);
        Frequency = _frequencyDrift.Advance(50 + Random.Gaussian(0.03), dt) + Random.Gaussian(0.002);
        _energyWh += ActivePower * 1000 * dt / 3600;
        RunSeconds += dt;
    }
}
