using Fabrica.Simulator.Faults;
using Fabrica.Simulator.Machines;

namespace Fabrica.Simulator.Tests.Machines;

public sealed class ConveyorMotorTests
{
    [Fact]
    public void A_belt_jam_stalls_the_belt_and_trips_the_drive_on_over_current_after_three_seconds()
    {
        var plant = PlantDriver.Create();
        var conveyor = plant.Get<ConveyorMotor>("conveyor-1");
        plant.Run(50);
        var current = conveyor.Current;

        conveyor.Set(c => c.SetFault(FaultKind.BeltJam, true));
        plant.Step();
        Assert.Equal(0, conveyor.BeltSpeed);
        Assert.True(conveyor.Current > 2 * current);
        var ticks = plant.RunUntil(() => conveyor.Tripped, 100);
        Assert.InRange(ticks, 28, 31);
        Assert.Equal(FaultBits.MachineSpecific | FaultBits.TrippedOverCurrent, conveyor.Faults);
        plant.Step();
        Assert.Equal(0, conveyor.Current);
        Assert.Equal(MachineState.Fault, conveyor.State);

        conveyor.Set(c => { c.SetFault(FaultKind.BeltJam, false); c.RequestFaultReset(); });
        plant.Run(30);
        Assert.Equal(MachineState.Running, conveyor.State);
        Assert.True(conveyor.BeltSpeed > 25);
    }

    [Fact]
    public void Motor_current_follows_belt_speed_and_load()
    {
        var plant = PlantDriver.Create();
        var conveyor = plant.Get<ConveyorMotor>("conveyor-1");
        plant.Run(50);
        var slow = plant.Mean(() => conveyor.Current, 20);
        conveyor.Set(c => c.SpeedSetpoint = 60);
        plant.Run(50);
        Assert.True(plant.Mean(() => conveyor.Current, 20) > slow * 1.3);
    }
}
