namespace Fabrica.Simulator.Physics;

/// <summary>
/// A rolling bearing: wear accumulates with running hours (faster under load), a defect (an injected fault)
/// grows while it is active and stays until the bearing is replaced. Vibration is the velocity RMS in mm/s
/// that a sensor on the housing would read (ISO 10816-3 zones for a medium machine: below 2.8 good, 7.1 alarm,
/// 11 danger), rising with the cube of wear so that a worn bearing shows late and then fast, as in practice.
/// </summary>
public sealed class Bearing(double ratedLifeHours, double initialWear)
{
    /// <summary>Seconds for an active defect to reach full severity.</summary>
    private const double DefectGrowthSeconds = 600;

    /// <summary>0 new … 1 end of rated life; may exceed 1 on an overdue bearing.</summary>
    public double Wear { get; set; } = initialWear;

    /// <summary>0 none … 1 fully developed (a spalled race).</summary>
    public double DefectSeverity { get; private set; }

    public void Advance(double dt, bool running, double loadFraction, bool defectActive)
    {
        if (running)
        {
            // Life falls with the cube of load (ISO 281: L10 ∝ (C/P)³), around rated life at 80 % load.
            var load = Math.Clamp(loadFraction, 0.05, 1.5) / 0.8;
            Wear += dt / 3600.0 / ratedLifeHours * load * load * load;
        }

        if (defectActive)
            DefectSeverity = Math.Min(1, DefectSeverity + dt / DefectGrowthSeconds);
    }

    public void Replace()
    {
        Wear = 0;
        DefectSeverity = 0;
    }

    /// <summary>Velocity RMS (mm/s) at <paramref name="speedFraction"/> of rated speed, with measurement noise.</summary>
    public double Vibration(double speedFraction, double loadFraction, SimulationRandom random)
    {
        var n = Math.Clamp(speedFraction, 0, 1.2);
        var mechanical = n * (0.9 + 0.4 * loadFraction + 7.0 * Wear * Wear * Wear + 9.0 * DefectSeverity);
        var noise = random.Gaussian(0.03 + 0.04 * mechanical);
        return Math.Max(0.02, 0.05 + mechanical + noise);
    }

    /// <summary>Extra heat of friction, in kelvin above the machine's own target.</summary>
    public double FrictionHeating => 6.0 * Wear * Wear + 18.0 * DefectSeverity;
}
