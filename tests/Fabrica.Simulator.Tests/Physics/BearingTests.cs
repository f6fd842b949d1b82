using Fabrica.Simulator.Machines;
using Fabrica.Simulator.Physics;

namespace Fabrica.Simulator.Tests.Physics;

public sealed class BearingTests
{
    [Fact]
    public void Bearing_wear_raises_vibration()
    {
        var plant = PlantDriver.Create();
        var pump = plant.Get<Pump>("pump-1");
        pump.Set(p => p.Bearing.Wear = 0.1);
        plant.Run(50);
        var healthy = plant.Mean(() => pump.Vibration, 200);

        pump.Set(p => p.Bearing.Wear = 0.9);
        var worn = plant.Mean(() => pump.Vibration, 200);

        Assert.InRange(healthy, 0.8, 2.8); // ISO 10816-3 zone A/B
        Assert.True(worn > healthy + 3, $"worn {worn:F2} mm/s vs healthy {healthy:F2} mm/s");
    }

    [Fact]
    public void Wear_accumulates_with_running_hours_and_not_while_stopped()
    {
        // One simulated hour per tick.
        var plant = PlantDriver.Create(speed: 3600, tick: TimeSpan.FromSeconds(1));
        var pump = plant.Get<Pump>("pump-1");
        var start = pump.Bearing.Wear;
        plant.Run(200);
        var afterRunning = pump.Bearing.Wear;
        Assert.True(afterRunning > start + 0.02, $"200 running hours wear the bearing: {start:F4} → {afterRunning:F4}");
        Assert.Equal(200 * 3600, pump.RunSeconds, 1);

        pump.Set(p => p.RunCommand = false);
        plant.Run(3);
        var stoppedAt = pump.Bearing.Wear;
        plant.Run(200);
        Assert.Equal(stoppedAt, pump.Bearing.Wear);
    }

    [Fact]
    public void An_injected_bearing_defect_grows_and_stays_until_the_bearing_is_replaced()
    {
        var bearing = new Bearing(ratedLifeHours: 1000, initialWear: 0.1);
        var random = new SimulationRandom(3);
        var before = bearing.Vibration(1, 0.7, random);
        bearing.Advance(300, running: true, loadFraction: 0.7, defectActive: true);
        Assert.Equal(0.5, bearing.DefectSeverity, 6);
        bearing.Advance(600, running: true, loadFraction: 0.7, defectActive: false);
        Assert.Equal(0.5, bearing.DefectSeverity, 6);
        Assert.True(bearing.Vibration(1, 0.7, random) > before + 3);

        bearing.Replace();
        Assert.Equal(0, bearing.DefectSeverity);
        Assert.Equal(0, bearing.Wear);
    }
}
