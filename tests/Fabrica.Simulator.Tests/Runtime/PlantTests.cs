using Fabrica.Protocols.Modbus;
using Fabrica.Simulator.Faults;
using Fabrica.Simulator.Machines;
using Fabrica.Simulator.Modbus;
using Fabrica.Simulator.Runtime;

namespace Fabrica.Simulator.Tests.Runtime;

public sealed class PlantTests
{
    [Fact]
    public void Tick_counter_increments_exactly_once_per_tick_on_every_machine()
    {
        var plant = PlantDriver.Create(lines: 2);
        var maps = plant.Machines.Select(MachineRegisterMaps.For).ToArray();
        for (var tick = 1; tick <= 300; tick++)
        {
            plant.Step();
            Assert.Equal(tick, plant.TickCount);
            foreach (var map in maps)
                Assert.Equal(tick, RegisterValue(map, "tick_count"));
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_plant_register_for_register_and_another_seed_another()
    {
        var options = new PlantOptions { Seed = 42, Speed = 30, Faults = [new ScheduledFault("pump-1", FaultKind.BearingDefect, TimeSpan.FromMinutes(10))] };
        var a = new Plant(options);
        var b = new Plant(options);
        var c = new Plant(options with { Seed = 43 });
        for (var i = 0; i < 400; i++)
        {
            a.Step();
            b.Step();
            c.Step();
        }

        Assert.Equal(Snapshot(a), Snapshot(b));
        Assert.NotEqual(Snapshot(a), Snapshot(c));
    }

    [Fact]
    public void Counters_never_decrease_through_stops_faults_and_trips()
    {
        var plant = new Plant(new PlantOptions
        {
            Seed = 9,
            Speed = 20,
            Faults =
            [
                new ScheduledFault("cnc-1", FaultKind.Overheating, TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(30)),
                new ScheduledFault("conveyor-1", FaultKind.BeltJam, TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(5)),
                new ScheduledFault("cnc-1", FaultKind.ToolBreakage, TimeSpan.FromMinutes(80)),
            ],
        });
        var maps = plant.Machines.Select(MachineRegisterMaps.For).ToArray();
        string[] monotonic = ["tick_count", "sim_time", "run_time", "good_parts", "scrap_parts", "tool_changes", "items_conveyed", "energy"];
        var last = new Dictionary<string, double>();
        var cnc = plant.Get<CncMachine>("cnc-1");
        for (var tick = 0; tick < 3600; tick++)
        {
            if (tick % 700 == 350)
                cnc.Set(c => c.RunCommand = !c.RunCommand);
            if (tick % 500 == 0)
            {
                plant.Get<ConveyorMotor>("conveyor-1").Set(c => c.RequestFaultReset());
                cnc.Set(c => c.RequestFaultReset());
            }

            plant.Step();
            foreach (var map in maps)
            {
                foreach (var point in map.Points.Where(p => monotonic.Contains(p.Name)))
                {
                    var key = $"{map.Title}/{point.Name}";
                    var value = RegisterValue(map, point.Name);
                    Assert.True(value >= last.GetValueOrDefault(key), $"{key} fell from {last.GetValueOrDefault(key)} to {value} at tick {tick}");
                    last[key] = value;
                }
            }
        }

        var summary = string.Join(", ", last.Select(kv => $"{kv.Key}={kv.Value}"));
        Assert.True(last["CNC machine (cnc-N)/good_parts"] > 40, summary);
        Assert.True(last["CNC machine (cnc-N)/scrap_parts"] > 10, summary);
        Assert.True(last["Energy meter (meter-N)/energy"] > 0);
    }

    [Fact]
    public void Energy_meter_integrates_the_power_of_its_line()
    {
        var plant = PlantDriver.Create(speed: 36); // 3.6 s per tick: 1000 ticks = 1 h
        var meter = plant.Get<EnergyMeter>("meter-1");
        plant.Run(10);
        var start = meter.EnergyWh;
        var meanPower = plant.Mean(() => meter.ActivePower, 1000);
        Assert.Equal(meanPower * 1000, meter.EnergyWh - start, 0);
        Assert.InRange(meanPower, 20, 60);
        var machines = plant.Machines.Where(m => m.Line == 1 && m is not EnergyMeter).Sum(m => m.Power);
        Assert.Equal(machines + 2.5, meter.ActivePower, machines * 0.02);
    }

    [Fact]
    public void A_scheduled_fault_starts_and_ends_at_its_simulated_times()
    {
        var plant = new Plant(new PlantOptions { Speed = 10, Faults = [new ScheduledFault("pump-1", FaultKind.SuctionClog, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20))] });
        var pump = plant["pump-1"];
        plant.Run(30); // 30 s simulated
        Assert.False(pump.IsInjected(FaultKind.SuctionClog));
        plant.Step();
        Assert.True(pump.IsInjected(FaultKind.SuctionClog));
        plant.Run(19);
        Assert.True(pump.IsInjected(FaultKind.SuctionClog));
        plant.Step();
        Assert.False(pump.IsInjected(FaultKind.SuctionClog));
    }

    [Theory]
    [InlineData("pump-1:bearing@10m", "pump-1", FaultKind.BearingDefect, 600, null)]
    [InlineData("cnc-2:overheating@90s+5m", "cnc-2", FaultKind.Overheating, 90, 300.0)]
    [InlineData("conveyor-1:jam@0+500ms", "conveyor-1", FaultKind.BeltJam, 0, 0.5)]
    public void Fault_schedules_parse_from_their_text_form(string text, string machine, FaultKind kind, double at, double? duration)
    {
        Assert.True(ScheduledFault.TryParse(text, out var fault, out var error), error);
        Assert.Equal(new ScheduledFault(machine, kind, TimeSpan.FromSeconds(at), duration is { } d ? TimeSpan.FromSeconds(d) : null), fault);
    }

    [Theory]
    [InlineData("pump-1", "is not machine:fault@time")]
    [InlineData("pump-1:melting@1m", "'melting' is not a fault")]
    [InlineData("pump-1:clog@soon", "is not time[+duration]")]
    public void A_malformed_fault_schedule_says_what_is_wrong(string text, string message)
    {
        Assert.False(ScheduledFault.TryParse(text, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fault_for_a_machine_that_cannot_have_it_is_refused_at_start()
    {
        var error = Assert.Throws<ArgumentException>(() => new Plant(new PlantOptions { Faults = [new ScheduledFault("meter-1", FaultKind.BeltJam, TimeSpan.Zero)] }));
        Assert.Contains("meter-1 has no fault 'jam'", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Plant(new PlantOptions { Faults = [new ScheduledFault("press-1", FaultKind.BeltJam, TimeSpan.Zero)] }));
    }

    /// <summary>A point's value as a client would decode it (raw × scale).</summary>
    internal static double RegisterValue(RegisterMap map, string name)
    {
        var point = map[name];
        Span<ushort> words = stackalloc ushort[2];
        point.Encode(words);
        return ModbusValueCodec.Decode(words, point.Type, RegisterPoint.WordOrder).AsDouble() * point.Scale;
    }

    private static string Snapshot(Plant plant)
    {
        var text = new System.Text.StringBuilder();
        Span<ushort> words = stackalloc ushort[2];
        foreach (var machine in plant.Machines)
        {
            foreach (var point in MachineRegisterMaps.For(machine).Points)
            {
                point.Encode(words);
                text.Append(machine.Id).Append('/').Append(point.Name).Append('=').Append(words[0]).Append(',').Append(words[1]).Append('\n');
            }
        }

        return text.ToString();
    }
}
