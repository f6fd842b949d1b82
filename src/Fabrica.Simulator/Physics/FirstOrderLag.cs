namespace Fabrica.Simulator.Physics;

/// <summary>
/// A first-order lag, τ·dy/dt = target − y: how a temperature follows a load, a motor its speed set-point, a flow
/// its pump. Advanced with the exact solution for a target held over the step, y ← target + (y − target)·e^(−dt/τ),
/// so it is stable for any step, even when <c>--speed</c> makes one tick longer than τ.
/// </summary>
public struct FirstOrderLag(double initial, double timeConstantSeconds)
{
    public double Value { get; set; } = initial;

    public double TimeConstantSeconds { get; } = timeConstantSeconds > 0 ? timeConstantSeconds
        : throw new ArgumentOutOfRangeException(nameof(timeConstantSeconds), timeConstantSeconds, "A time constant is positive.");

    /// <summary>Moves towards <paramref name="target"/> for <paramref name="dt"/> seconds and returns the new value.</summary>
    public double Advance(double target, double dt)
    {
        Value = target + (Value - target) * Math.Exp(-dt / TimeConstantSeconds);
        return Value;
    }
}
