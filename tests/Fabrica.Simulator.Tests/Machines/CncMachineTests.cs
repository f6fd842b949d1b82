using CsCheck;
using Fabrica.Simulator.Faults;
using Fabrica.Simulator.Machines;

namespace Fabrica.Simulator.Tests.Machines;

public sealed class CncMachineTests
{
    [Fact]
    public void Scrap_rate_rises_with_tool_wear()
    {
        (uint Good, uint Scrap) Produce(double toolWear)
        {
            // 10 simulated seconds per tick, 100 parts of 30 s, no automatic tool change.
            var plant = PlantDriver.Create(seed: 5, speed: 100);
            var cnc = plant.Get<CncMachine>("cnc-1");
            cnc.Set(c => { c.ToolChangeLimit = 0; c.ToolWear = toolWear; });
            plant.Run(300);
            return (cnc.GoodParts, cnc.ScrapParts);
        }

        var fresh = Produce(0);
        var worn = Produce(0.9);
        Assert.InRange(fresh.Good + fresh.Scrap, 90u, 101u);
        Assert.InRange(worn.Good + worn.Scrap, 90u, 101u);
        Assert.True(worn.Scrap > 3 * fresh.Scrap + 5, $"scrap with a fresh tool {fresh.Scrap}, with a worn one {worn.Scrap}");
    }

    [Fact]
    public void Scrap_probability_never_falls_as_tool_wear_or_temperature_rise()
    {
        Gen.Select(Gen.Double[0, 2], Gen.Double[0, 2], Gen.Double[20, 100], Gen.Double[0, 30]).Sample((wear, moreWear, temperature, hotter) =>
        {
            var cnc = PlantDriver.Create().Get<CncMachine>("cnc-1");
            cnc.ToolWear = wear;
            cnc.Temperature = temperature;
            var p = cnc.ScrapProbability;
            cnc.ToolWear = wear + moreWear;
            var pWorn = cnc.ScrapProbability;
            cnc.Temperature = temperature + hotter;
            return p is >= 0 and <= 1 && pWorn >= p && cnc.ScrapProbability >= pWorn;
        });
    }

    [Fact]
    public void A_worn_tool_cuts_with_more_spindle_load_and_current()
    {
        var plant = PlantDriver.Create(speed: 100);
        var cnc = plant.Get<CncMachine>("cnc-1");
        cnc.Set(c => { c.ToolChangeLimit = 0; c.ToolWear = 0; });
        var freshLoad = plant.Mean(() => cnc.SpindleLoad, 5);
        var freshCurrent = cnc.Current;
        cnc.Set(c => c.ToolWear = 1);
        var wornLoad = plant.Mean(() => cnc.SpindleLoad, 5);
        Assert.True(wornLoad > freshLoad * 1.3, $"{freshLoad:F2} → {wornLoad:F2}");
        Assert.True(cnc.Current > freshCurrent);
    }

    [Fact]
    public void The_cnc_changes_its_tool_at_the_limit_and_is_idle_meanwhile()
    {
        var plant = PlantDriver.Create(speed: 10);
        var cnc = plant.Get<CncMachine>("cnc-1");
        cnc.Set(c => { c.ToolChangeLimit = 50; c.ToolWear = 0.49; });
        plant.RunUntil(() => cnc.ChangingTool, 200);
        Assert.Equal(MachineState.Idle, cnc.State);
        plant.RunUntil(() => !cnc.ChangingTool, 70);
        Assert.Equal(1u, cnc.ToolChanges);
        Assert.True(cnc.ToolWear < 0.01);
    }

    [Fact]
    public void A_broken_tool_makes_scrap_until_a_tool_change_by_command()
    {
        var plant = PlantDriver.Create(speed: 100);
        var cnc = plant.Get<CncMachine>("cnc-1");
        cnc.Set(c => { c.ToolChangeLimit = 0; c.ToolWear = 0; c.SetFault(FaultKind.ToolBreakage, true); });
        plant.Run(60);
        Assert.True(cnc.ScrapParts >= 12, $"{cnc.ScrapParts} scrap of {cnc.ScrapParts + cnc.GoodParts}");

        cnc.Set(c => c.RequestToolChange());
        plant.Run(7);
        Assert.False(cnc.ToolBroken);
        var scrap = cnc.ScrapParts;
        plant.Run(60);
        Assert.True(cnc.ScrapParts - scrap <= 3);
    }

    [Fact]
    public void The_cnc_is_blocked_while_the_conveyor_stands_and_resumes_when_it_runs()
    {
        var plant = PlantDriver.Create(speed: 10);
        var cnc = plant.Get<CncMachine>("cnc-1");
        var conveyor = plant.Get<ConveyorMotor>("conveyor-1");
        conveyor.Set(c => c.RunCommand = false);
        plant.RunUntil(() => cnc.Blocked, 100);
        Assert.Equal(MachineState.Idle, cnc.State);
        var good = cnc.GoodParts;
        plant.Run(50);
        Assert.Equal(good, cnc.GoodParts);

        conveyor.Set(c => c.RunCommand = true);
        plant.Run(50);
        Assert.True(cnc.GoodParts > good);
        Assert.Equal(cnc.GoodParts, conveyor.ItemsConveyed);
    }
}
