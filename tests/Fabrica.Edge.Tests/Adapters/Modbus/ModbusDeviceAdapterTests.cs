using Fabrica.Edge.Adapters;
using Fabrica.Edge.Adapters.Modbus;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Tests.Infrastructure;
using static Fabrica.Edge.Tests.Adapters.Modbus.SimulatedPlant;

namespace Fabrica.Edge.Tests.Adapters.Modbus;

/// <summary>The Modbus adapter against the simulated factory over real Modbus TCP on loopback.</summary>
public sealed class ModbusDeviceAdapterTests
{
    [Fact]
    public async Task Reads_every_documented_point_of_each_machine_with_one_request_per_table()
    {
        await using var plant = Start();
        foreach (var machine in plant.Endpoints)
        {
            var device = Device(machine);
            await using var adapter = await ConnectAsync(device);
            var readings = await ReadAsync(adapter, device.Tags);

            Assert.All(readings, r => Assert.Equal(Quality.Good, r.Quality));
            var byName = device.Tags.Select((t, i) => (t.Name, readings[i].Value)).ToDictionary(x => x.Name, x => x.Value);
            Assert.Equal((long)machine.Machine.Kind, byName["kind"].AsLong());
            Assert.Equal(1, byName["line"].AsLong());
            Assert.Equal(ValueKind.Long, byName["tick_count"].Kind);
            if (byName.TryGetValue("temperature", out var temperature))
                Assert.InRange(temperature.AsDouble(), 0, 150);

            // The maps are contiguous per table, so coalescing reads each table in one request.
            var client = ((ModbusDeviceAdapter)adapter).Client!;
            var before = client.Counters.Requests;
            await ReadAsync(adapter, device.Tags);
            var tables = machine.Map.Points.Select(p => p.Table).Distinct().Count();
            Assert.Equal(tables, client.Counters.Requests - before);
        }
    }

    [Fact]
    public async Task The_tick_counter_reads_every_tick_exactly_once_in_order()
    {
        // The clock is stepped by the test, not raced against it: every tick must be read back as the next value.
        await using var plant = Start(runClock: false);
        var machine = plant["pump-1"];
        var device = Device(machine) with { Tags = [Tag(machine.Map["tick_count"])] };
        await using var adapter = await ConnectAsync(device);
        var seen = new List<long>();
        for (var tick = 0; tick < 100; tick++)
        {
            var reading = (await ReadAsync(adapter, device.Tags))[0];
            Assert.Equal(Quality.Good, reading.Quality);
            seen.Add(reading.Value.AsLong());
            plant.Plant.Step();
        }
        Assert.Equal(Enumerable.Range(0, seen.Count).Select(i => seen[0] + i), seen);
    }

    [Fact]
    public async Task Writes_a_coil_and_a_set_point_that_read_back_and_change_the_machine()
    {
        await using var plant = Start();
        var machine = plant["pump-1"];
        var device = Device(machine);
        await using var adapter = await ConnectAsync(device);
        var run = device.Tags.Single(t => t.Name == "run");
        var valve = device.Tags.Single(t => t.Name == "valve_setpoint");
        TagOptions[] written = [run, valve];

        await adapter.WriteAsync(valve, SampleValue.FromDouble(412.4)); // a rule computes doubles: rounded to the uint16
        await adapter.WriteAsync(run, SampleValue.FromBool(false));

        var readings = await ReadAsync(adapter, written);
        Assert.False(readings[0].Value.AsBool());
        Assert.Equal(412, readings[1].Value.AsLong());
        await Eventually.TrueAsync(() => machine.Machine.State == Fabrica.Simulator.Machines.MachineState.Stopped, "the pump stops");
    }

    [Fact]
    public async Task A_refused_read_marks_only_its_own_tags_bad()
    {
        await using var plant = Start();
        var machine = plant["meter-1"]; // the meter has no holding registers: exception 02
        var device = Device(machine) with
        {
            Tags = [Tag(machine.Map["tick_count"]), new TagOptions { Name = "missing", Address = "hr:0" }],
        };
        await using var adapter = await ConnectAsync(device);

        var readings = await ReadAsync(adapter, device.Tags);

        Assert.Equal(Quality.Good, readings[0].Quality);
        Assert.Equal(Quality.Bad, readings[1].Quality);
        Assert.False(readings[1].HasValue);
        Assert.Equal(DeviceState.Connected, adapter.State);
        Assert.Contains("02", adapter.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_that_goes_away_fails_the_read_and_the_connect_until_it_is_back()
    {
        var plant = Start();
        var machine = plant["cnc-1"];
        var device = Device(machine, extraSettings: """, "connectTimeout": "2s" """);
        await using var adapter = await ConnectAsync(device);
        await ReadAsync(adapter, device.Tags);

        await plant.DisposeAsync();

        await Assert.ThrowsAnyAsync<Exception>(async () => await ReadAsync(adapter, device.Tags));
        Assert.Equal(DeviceState.Faulted, adapter.State);
        Assert.NotNull(adapter.LastError);
        await Assert.ThrowsAnyAsync<Exception>(async () => await adapter.ConnectAsync());
        Assert.Equal(DeviceState.Faulted, adapter.State);
    }

    [Fact]
    public async Task Writing_an_input_register_is_refused_with_the_reason()
    {
        await using var plant = Start();
        var device = Device(plant["pump-1"]);
        await using var adapter = await ConnectAsync(device);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await adapter.WriteAsync(device.Tags.Single(t => t.Name == "flow"), SampleValue.FromDouble(1)));

        Assert.Contains("ir:20", error.Message, StringComparison.Ordinal);
        Assert.Contains("read-only", error.Message, StringComparison.Ordinal);
    }
}
