using CsCheck;
using Fabrica.Simulator.Machines;
using Fabrica.Simulator.Physics;

namespace Fabrica.Simulator.Tests.Physics;

public sealed class FirstOrderLagTests
{
    [Fact]
    public void Thermal_lag_reaches_63_percent_after_one_time_constant_and_converges_to_the_target()
    {
        var lag = new FirstOrderLag(20, timeConstantSeconds: 100);
        for (var i = 0; i < 1000; i++)
            lag.Advance(80, 0.1);
        Assert.Equal(20 + 60 * (1 - Math.Exp(-1)), lag.Value, 6);

        for (var i = 0; i < 9000; i++)
            lag.Advance(80, 0.1);
        Assert.Equal(80, lag.Value, 2);
    }

    [Fact]
    public void Lag_moves_monotonically_towards_the_target_and_never_overshoots_for_any_step()
    {
        Gen.Select(Gen.Double[-100, 200], Gen.Double[-100, 200], Gen.Double[0.01, 10_000], Gen.Double[0.001, 100_000])
            .Sample((start, target, tau, dt) =>
            {
                var lag = new FirstOrderLag(start, tau);
                var first = lag.Advance(target, dt);
                var second = lag.Advance(target, dt);
                var (low, high) = (Math.Min(start, target), Math.Max(start, target));
                return first >= low - 1e-9 && first <= high + 1e-9
                    && Math.Abs(target - second) <= Math.Abs(target - first) + 1e-9;
            });
    }

    [Fact]
    public void Pump_temperature_follows_a_step_in_load_with_lag_and_settles_at_the_load_driven_target()
    {
        // 6 simulated seconds per tick; the pump motor's time constant is 600 s = 100 ticks.
        var plant = PlantDriver.Create(speed: 60);
        var pump = plant.Get<Pump>("pump-1");
        pump.Set(p => { p.Bearing.Replace(); p.ValveSetpoint = 30; });
        plant.Run(1500);
        var lowLoad = plant.Mean(() => pump.Temperature, 50);
        var lowPower = pump.Power;

        pump.Set(p => p.ValveSetpoint = 100);
        plant.Step();
        Assert.True(pump.Power > lowPower * 1.1, $"opening the valve raises power ({lowPower:F1} → {pump.Power:F1} kW)");
        Assert.True(pump.Temperature < lowLoad + 1.5, "one tick later the temperature has hardly moved");

        plant.Run(99);
        var afterOneTau = pump.Temperature;
        plant.Run(1400);
        var highLoad = plant.Mean(() => pump.Temperature, 50);

        Assert.True(highLoad > lowLoad + 3, $"more load, hotter: {lowLoad:F1} → {highLoad:F1} °C");
        var fraction = (afterOneTau - lowLoad) / (highLoad - lowLoad);
        Assert.InRange(fraction, 0.45, 0.8); // 1 − 1/e ≈ 0.63, with sensor noise
    }

    [Fact]
    public void Motor_current_follows_electrical_power_on_a_400_volt_line()
    {
        Assert.Equal(0, ElectricMotor.Current(0));
        Assert.Equal(17.0, ElectricMotor.Current(10, 0.85), 1);
        Assert.True(ElectricMotor.Current(20) > ElectricMotor.Current(10));
    }
}
