using Fabrica.Simulator.Faults;
using Fabrica.Simulator.Machines;

namespace Fabrica.Simulator.Tests.Machines;

public sealed class PumpTests
{
    [Fact]
    public void Stopping_the_pump_drops_flow_and_pressure_within_a_few_ticks()
    {
        var plant = PlantDriver.Create();
        var pump = plant.Get<Pump>("pump-1");
        plant.Run(100);
        var (flow, pressure) = (pump.Flow, pump.Pressure);
        Assert.InRange(flow, 70, 90);
        Assert.InRange(pressure, 5, 8);

        pump.Set(p => p.RunCommand = false);
        plant.Run(5);
        Assert.True(pump.Flow < flow * 0.6, $"flow after 5 ticks: {pump.Flow:F1} of {flow:F1} m³/h");
        Assert.True(pump.Pressure < pressure * 0.6, $"pressure after 5 ticks: {pump.Pressure:F2} of {pressure:F2} bar");

        plant.Run(25);
        Assert.True(pump.Flow < 0.5);
        Assert.True(pump.Pressure < 0.2);
        Assert.Equal(MachineState.Stopped, pump.State);
        Assert.Equal(0, pump.Power, 2);
    }

    [Fact]
    public void Throttling_the_valve_lowers_flow_and_raises_pressure_as_the_actuator_moves()
    {
        var plant = PlantDriver.Create();
        var pump = plant.Get<Pump>("pump-1");
        plant.Run(100);
        var (flow, pressure) = (pump.Flow, pump.Pressure);

        pump.Set(p => p.ValveSetpoint = 25);
        plant.Run(10);
        Assert.Equal(65, pump.ValvePosition, 3); // 10 %/s for 1 s
        plant.Run(100);
        Assert.Equal(25, pump.ValvePosition, 3);
        Assert.True(pump.Flow < flow * 0.6, $"{flow:F1} → {pump.Flow:F1} m³/h");
        Assert.True(pump.Pressure > pressure + 0.5, $"{pressure:F2} → {pump.Pressure:F2} bar");
    }

    [Fact]
    public void A_clogged_suction_makes_the_pump_cavitate_with_less_flow_and_more_vibration()
    {
        var plant = PlantDriver.Create();
        var pump = plant.Get<Pump>("pump-1");
        plant.Run(100);
        var flow = plant.Mean(() => pump.Flow, 100);
        var vibration = plant.Mean(() => pump.Vibration, 100);

        pump.Set(p => p.SetFault(FaultKind.SuctionClog, true));
        plant.Run(50);
        Assert.True(plant.Mean(() => pump.Flow, 100) < flow * 0.85);
        Assert.True(plant.Mean(() => pump.Vibration, 100) > vibration + 2);
        Assert.Equal(FaultBits.MachineSpecific, pump.Faults);
    }

    [Fact]
    public void Overheating_trips_the_pump_and_a_reset_after_cooling_restarts_it()
    {
        var plant = PlantDriver.Create(speed: 60);
        var pump = plant.Get<Pump>("pump-1");
        plant.Run(300);
        Assert.Equal(MachineState.Running, pump.State);

        pump.Set(p => p.SetFault(FaultKind.Overheating, true));
        plant.RunUntil(() => pump.State == MachineState.Fault, 2000);
        Assert.Equal(FaultBits.Overheating | FaultBits.TrippedOverTemperature, pump.Faults);
        plant.Run(10);
        Assert.True(pump.Flow < 0.5, "a tripped pump stands");

        pump.Set(p => p.RequestFaultReset());
        plant.Step();
        Assert.Equal(MachineState.Fault, pump.State); // still too hot

        pump.Set(p => p.SetFault(FaultKind.Overheating, false));
        plant.RunUntil(() => pump.Temperature < pump.ResetTemperature, 2000);
        pump.Set(p => p.RequestFaultReset());
        plant.Run(20);
        Assert.Equal(MachineState.Running, pump.State);
        Assert.True(pump.Flow > 50);
    }
}
