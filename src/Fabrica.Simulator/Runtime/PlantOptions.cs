using Fabrica.Simulator.Faults;

namespace Fabrica.Simulator.Runtime;

/// <summary>What plant to simulate and how fast.</summary>
public sealed record PlantOptions
{
    /// <summary>Same seed, same options, same sequence of writes: the same values, tick by tick.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Identical lines, each a CNC, a conveyor, a pump and an energy meter.</summary>
    public int Lines { get; init; } = 1;

    /// <summary>Wall-clock period of a tick.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Simulated seconds per wall-clock second: a tick advances the physics by <see cref="Tick"/> × <see cref="Speed"/>.</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Faults injected at simulated times.</summary>
    public IReadOnlyList<ScheduledFault> Faults { get; init; } = [];

    /// <summary>Simulated seconds per tick.</summary>
    public double StepSeconds => Tick.TotalSeconds * Speed;

    public void Validate()
    {
        if (Lines is < 1 or > 1000)
            throw new ArgumentOutOfRangeException(nameof(Lines), Lines, "A plant has 1 to 1000 lines.");
        if (Tick <= TimeSpan.Zero || Tick > TimeSpan.FromHours(1))
            throw new ArgumentOutOfRangeException(nameof(Tick), Tick, "A tick lasts more than 0 and at most 1 h.");
        if (!(Speed > 0 && Speed <= 1_000_000))
            throw new ArgumentOutOfRangeException(nameof(Speed), Speed, "Speed is more than 0 and at most 1,000,000.");
    }
}
