using Fabrica.Simulator.Faults;
using Fabrica.Simulator.Physics;

namespace Fabrica.Simulator.Machines;

/// <summary>
/// A CNC machining centre making one part per cycle (30 s at 100 % feed: 80 % cutting, 20 % loading). The tool
/// wears while cutting; a worn tool cuts with more load, heats the spindle, and makes more scrap. Good parts go onto
/// the conveyor: while the belt stands, a finished part waits in the machine, which is then idle (blocked). Scrap
/// goes to the bin. At the tool-change limit the machine changes its tool (60 s, idle).
/// </summary>
public sealed class CncMachine : DrivenMachine
{
    public const double NominalCycleSeconds = 30;
    public const double ToolChangeSeconds = 60;
    private const double CuttingShare = 0.8;
    private const double NominalSpindleSpeed = 8000;

    /// <summary>Cutting seconds for a tool to wear out at nominal speed and feed.</summary>
    private const double ToolLifeSeconds = 3600;
    private const double RatedPowerKw = 19.5;

    private readonly ConveyorMotor? _downstream;
    private FirstOrderLag _spindle = new(0, 0.8);
    private double _progress;
    private bool _holdingPart;
    private double _toolChangeRemaining;
    private bool _toolChangeRequested;
    private double _load;
    private double _power;

    public CncMachine(string id, int line, SimulationRandom random, ConveyorMotor? downstream)
        : base(id, MachineKind.Cnc, line, random, bearingLifeHours: 4000, temperatureTimeConstant: 300)
    {
        _downstream = downstream;
        ToolWear = random.Uniform(0, 0.5);
    }

    public override IReadOnlyList<FaultKind> SupportedFaults { get; } = [FaultKind.BearingDefect, FaultKind.Overheating, FaultKind.ToolBreakage];

    /// <summary>Spindle speed set-point, rpm (1000–12000).</summary>
    public double SpindleSpeedSetpoint { get; set; } = NominalSpindleSpeed;

    /// <summary>Feed override, 10–150 %: the cycle takes 30 s · 100 / feed.</summary>
    public double FeedOverride { get; set; } = 100;

    /// <summary>Tool wear (%) at which the tool is changed automatically after a part; 0 = never.</summary>
    public double ToolChangeLimit { get; set; } = 95;

    public double SpindleSpeed => _spindle.Value;

    /// <summary>Spindle load, 0–1 of rated torque.</summary>
    public double SpindleLoad => _load;

    /// <summary>0 new … 1 worn out (may exceed 1 when the limit is off).</summary>
    public double ToolWear { get; set; }

    public bool ToolBroken => IsInjected(FaultKind.ToolBreakage);

    public uint GoodParts { get; private set; }

    public uint ScrapParts { get; private set; }

    public uint ToolChanges { get; private set; }

    /// <summary>Progress of the current cycle, 0–1.</summary>
    public double CycleProgress => _progress;

    public bool Blocked => _holdingPart;

    public bool ChangingTool => _toolChangeRemaining > 0;

    public override double Power => _power;

    public override double Current => ElectricMotor.Current(_power, 0.86);

    public override MachineState State =>
        Tripped ? MachineState.Fault
        : !RunCommand ? MachineState.Stopped
        : _holdingPart || _toolChangeRemaining > 0 ? MachineState.Idle
        : MachineState.Running;

    public override double TripTemperature => 85;

    protected override double RatedCurrent { get; } = ElectricMotor.Current(RatedPowerKw, 0.86);

    protected override double RatedTemperatureRise => 65;

    protected override double SpeedFraction => _spindle.Value / NominalSpindleSpeed;

    protected override double LoadFraction => _load;

    /// <summary>The tool-change coil: starts a tool change at the next tick.</summary>
    public void RequestToolChange() => _toolChangeRequested = true;

    public bool ToolChangePending => _toolChangeRequested;

    /// <summary>Probability that the next part is scrap: rises with tool wear past 50 % and spindle temperature past 55 °C.</summary>
    public double ScrapProbability
    {
        get
        {
            var wear = Math.Clamp((ToolWear - 0.5) / 0.5, 0, 1);
            var heat = Math.Clamp((Temperature - 55) / 25, 0, 1);
            return Math.Min(1, 0.005 + 0.30 * wear * wear + 0.25 * heat + (ToolBroken ? 0.9 : 0));
        }
    }

    protected override void AdvanceDrive(double dt)
    {
        if (_toolChangeRequested)
        {
            _toolChangeRequested = false;
            _toolChangeRemaining = ToolChangeSeconds;
        }

        var remaining = dt;
        if (_toolChangeRemaining > 0)
        {
            var used = Math.Min(remaining, _toolChangeRemaining);
            _toolChangeRemaining -= used;
            remaining -= used;
            if (_toolChangeRemaining <= 0)
                FinishToolChange();
        }

        if (_holdingPart && (_downstream?.AcceptsParts ?? true))
            Deliver();

        var producing = Energized && !_holdingPart && _toolChangeRemaining <= 0;
        var n = _spindle.Advance(producing ? Math.Clamp(SpindleSpeedSetpoint, 0, 12000) : 0, dt);
        var cycleSeconds = NominalCycleSeconds * 100 / Math.Clamp(FeedOverride, 10, 150);
        var cutLoad = CuttingLoad();
        if (producing)
            RunCycle(remaining, cycleSeconds);

        producing = Energized && !_holdingPart && _toolChangeRemaining <= 0;
        if (!producing)
            _load = 0;
        else if (dt >= cycleSeconds / 4)
            _load = CuttingShare * cutLoad + (1 - CuttingShare) * 0.03; // many phases in one tick: their mean
        else
            _load = _progress < CuttingShare ? cutLoad : 0.03;
        _load = Math.Max(0, _load + (producing ? Random.Gaussian(0.01) : 0));
        _power = !RunCommand || Tripped ? 0.15 : 0.6 + (n > 100 ? 0.9 + 18 * _load : 0);
    }

    private double CuttingLoad()
    {
        var speed = Math.Max(0, _spindle.Value) / NominalSpindleSpeed;
        var load = 0.55 * FeedOverride / 100 * Math.Sqrt(speed) * (1 + 0.6 * Math.Min(ToolWear, 1.5));
        return ToolBroken ? load * 0.3 : load;
    }

    /// <summary>Runs the cycle for <paramref name="seconds"/>; with a high <c>--speed</c> several parts fit in one tick.</summary>
    private void RunCycle(double seconds, double cycleSeconds)
    {
        var wearPerCuttingSecond = Math.Pow(Math.Max(0, SpindleSpeedSetpoint) / NominalSpindleSpeed, 1.5) * FeedOverride / 100 / ToolLifeSeconds;
        for (var parts = 0; seconds > 1e-9 && parts < 100_000; parts++)
        {
            var step = Math.Min(seconds, (1 - _progress) * cycleSeconds);
            var end = _progress + step / cycleSeconds;
            var cutting = Math.Max(0, Math.Min(end, CuttingShare) - Math.Min(_progress, CuttingShare)) * cycleSeconds;
            ToolWear += cutting * wearPerCuttingSecond;
            _progress = end;
            seconds -= step;
            if (_progress < 1 - 1e-9)
                return;

            FinishPart();
            if (_holdingPart || _toolChangeRemaining > 0)
                return;
        }
    }

    private void FinishPart()
    {
        if (Random.Chance(ScrapProbability))
        {
            ScrapParts = unchecked(ScrapParts + 1);
            _progress = 0;
        }
        else if (_downstream?.AcceptsParts ?? true)
        {
            Deliver();
        }
        else
        {
            _holdingPart = true;
            _progress = 1;
        }

        if (ToolChangeLimit > 0 && ToolWear * 100 >= ToolChangeLimit)
            _toolChangeRemaining = ToolChangeSeconds;
    }

    private void Deliver()
    {
        GoodParts = unchecked(GoodParts + 1);
        _downstream?.AcceptPart();
        _holdingPart = false;
        _progress = 0;
    }

    private void FinishToolChange()
    {
        ToolWear = 0;
        ToolChanges = unchecked(ToolChanges + 1);
        SetFault(FaultKind.ToolBreakage, false);
    }
}
