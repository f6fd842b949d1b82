namespace Fabrica.Simulator.Physics;

/// <summary>
/// A centrifugal pump against a valve: the pump's head falls with the square of flow and scales with the square of
/// speed (affinity laws), H = H0·n² − a·Q²; the system needs a static head plus the valve's loss, H = Hs + (Q/Kv)²,
/// with Kv proportional to the opening (a linear valve). The operating point is where the two meet.
/// </summary>
public sealed record PumpCurve(double ShutoffHeadBar, double HeadDropPerFlowSquared, double StaticHeadBar, double ValveKvAtFullOpening)
{
    /// <summary>The pump of the simulated line: 8 bar at shut-off, about 100 m³/h at 3 bar with the valve open.</summary>
    public static PumpCurve Line { get; } = new(ShutoffHeadBar: 8, HeadDropPerFlowSquared: 2e-4, StaticHeadBar: 1, ValveKvAtFullOpening: 44.7);

    /// <summary>Flow (m³/h) at speed fraction <paramref name="n"/>, valve opening 0…1, with the head reduced by <paramref name="headFactor"/> (cavitation).</summary>
    public double Flow(double n, double valveOpening, double headFactor = 1)
    {
        var kv = ValveKvAtFullOpening * Math.Clamp(valveOpening, 0, 1);
        var drive = ShutoffHeadBar * headFactor * n * n - StaticHeadBar;
        if (kv <= 1e-6 || drive <= 0)
            return 0;
        return Math.Sqrt(drive / (HeadDropPerFlowSquared + 1 / (kv * kv)));
    }

    /// <summary>Discharge pressure (bar, gauge) the pump makes at speed fraction <paramref name="n"/> and flow <paramref name="q"/>.</summary>
    public double Head(double n, double q, double headFactor = 1) =>
        Math.Max(0, ShutoffHeadBar * headFactor * n * n - HeadDropPerFlowSquared * q * q);

    /// <summary>Hydraulic power (kW) of flow <paramref name="q"/> (m³/h) against <paramref name="headBar"/>: Q·Δp = q/3600 · bar·10⁵ / 1000.</summary>
    public static double HydraulicPower(double q, double headBar) => q * headBar / 36.0;
}
