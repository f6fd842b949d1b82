using Fabrica.Simulator.Physics;

namespace Fabrica.Simulator.Tests.Physics;

public sealed class PumpCurveTests
{
    [Fact]
    public void Operating_point_lies_on_both_the_pump_curve_and_the_system_curve()
    {
        var curve = PumpCurve.Line;
        var q = curve.Flow(1, 0.75);
        var pumpHead = curve.Head(1, q);
        var kv = curve.ValveKvAtFullOpening * 0.75;
        var systemHead = curve.StaticHeadBar + q * q / (kv * kv);
        Assert.Equal(pumpHead, systemHead, 6);
        Assert.InRange(q, 70, 90);
    }

    [Fact]
    public void Closing_the_valve_drops_flow_and_raises_pressure_to_shutoff_head()
    {
        var curve = PumpCurve.Line;
        Assert.True(curve.Flow(1, 0.3) < curve.Flow(1, 0.8));
        Assert.True(curve.Head(1, curve.Flow(1, 0.3)) > curve.Head(1, curve.Flow(1, 0.8)));
        Assert.Equal(0, curve.Flow(1, 0));
        Assert.Equal(curve.ShutoffHeadBar, curve.Head(1, 0));
    }

    [Fact]
    public void Affinity_laws_make_a_slow_pump_unable_to_lift_the_static_head()
    {
        Assert.Equal(0, PumpCurve.Line.Flow(0.3, 1));
        Assert.Equal(0, PumpCurve.Line.Flow(0, 1));
    }
}
