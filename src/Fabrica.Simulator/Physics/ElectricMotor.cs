namespace Fabrica.Simulator.Physics;

/// <summary>A three-phase motor on a 400 V line: the current that its electrical power draws, and its temperature rise.</summary>
public static class ElectricMotor
{
    public const double LineVoltage = 400;

    /// <summary>Line current (A) for electrical power <paramref name="kilowatts"/>: I = P / (√3·U·cos φ).</summary>
    public static double Current(double kilowatts, double powerFactor = 0.85) =>
        kilowatts <= 0 ? 0 : kilowatts * 1000 / (Math.Sqrt(3) * LineVoltage * powerFactor);

    /// <summary>
    /// Steady winding temperature for a current: copper losses go with I², so the rise above ambient is
    /// <paramref name="ratedRiseKelvin"/>·(I/I_rated)², multiplied by <paramref name="coolingFactor"/> (1 healthy, more when the fan or coolant fails).
    /// </summary>
    public static double SteadyTemperature(double ambient, double current, double ratedCurrent, double ratedRiseKelvin, double coolingFactor)
    {
        var ratio = current / ratedCurrent;
        return ambient + ratedRiseKelvin * ratio * ratio * coolingFactor;
    }
}
