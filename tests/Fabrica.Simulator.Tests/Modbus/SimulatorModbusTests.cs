using Fabrica.Protocols.Modbus;
using Fabrica.Simulator.Machines;
using Fabrica.Simulator.Runtime;

namespace Fabrica.Simulator.Tests.Modbus;

/// <summary>The simulator over real Modbus TCP on free loopback ports, read and written by our ModbusTcpClient.</summary>
public sealed class SimulatorModbusTests
{
    private static PlantSimulator StartManual(double speed = 1) => PlantSimulator.Start(new SimulatorOptions
    {
        BasePort = 0,
        RunClock = false,
        Plant = new PlantOptions { Seed = 3, Speed = speed },
    });

    private static ModbusTcpClient Client(MachineEndpoint endpoint) =>
        new(new ModbusClientOptions { Host = "127.0.0.1", Port = endpoint.EndPoint.Port, RequestTimeout = TimeSpan.FromSeconds(5) });

    [Fact]
    public async Task Every_documented_register_of_every_machine_reads_over_Modbus_as_the_machine_encodes_it()
    {
        await using var simulator = StartManual();
        simulator.Plant.Run(77);
        Assert.Equal(4, simulator.Endpoints.Select(e => e.EndPoint.Port).Distinct().Count());
        foreach (var endpoint in simulator.Endpoints)
        {
            await using var client = Client(endpoint);
            foreach (var point in endpoint.Map.Points)
            {
                var expected = new ushort[2];
                lock (endpoint.Machine.Sync)
                    point.Encode(expected);
                if (point.Table.IsBits())
                {
                    var bits = point.Table == ModbusTable.Coils
                        ? await client.ReadCoilsAsync(1, point.Address, 1)
                        : await client.ReadDiscreteInputsAsync(1, point.Address, 1);
                    Assert.True(expected[0] == (bits[0] ? 1 : 0), $"{endpoint.Machine.Id} {point.Name}");
                }
                else
                {
                    var registers = point.Table == ModbusTable.InputRegisters
                        ? await client.ReadInputRegistersAsync(1, point.Address, point.Width)
                        : await client.ReadHoldingRegistersAsync(1, point.Address, point.Width);
                    Assert.True(expected.AsSpan(0, point.Width).SequenceEqual(registers), $"{endpoint.Machine.Id} {point.Name}");
                }
            }

            // The whole input table in one request: tick_count is the same for all, decoded high word first.
            var all = await client.ReadInputRegistersAsync(1, 0, endpoint.Map.Extent(ModbusTable.InputRegisters));
            Assert.Equal(77u, ModbusValueCodec.ReadUInt32(all, ModbusByteOrder.ABCD));
            Assert.Equal((int)endpoint.Machine.Kind, all[8]);
        }
    }

    [Fact]
    public async Task Values_decode_to_what_the_machine_reports()
    {
        await using var simulator = StartManual();
        simulator.Plant.Run(100);
        var pump = simulator.Plant.Get<Pump>("pump-1");
        await using var client = Client(simulator["pump-1"]);
        var registers = await client.ReadInputRegistersAsync(1, 20, 4);
        Assert.Equal(pump.Flow, ModbusValueCodec.ReadSingle(registers, ModbusByteOrder.ABCD), 3);
        Assert.Equal(pump.Pressure, ModbusValueCodec.ReadSingle(registers.AsSpan(2), ModbusByteOrder.ABCD), 4);
        Assert.Equal(new ushort[] { 750, 100 }, await client.ReadHoldingRegistersAsync(1, 0, 2));
    }

    [Fact]
    public async Task Writing_the_valve_setpoint_over_Modbus_lowers_flow_and_raises_pressure()
    {
        await using var simulator = StartManual();
        simulator.Plant.Run(100);
        await using var client = Client(simulator["pump-1"]);
        var before = await ReadFloatsAsync(client, 20, 2);

        await client.WriteSingleRegisterAsync(1, 0, 200); // 20.0 %
        Assert.Equal(20, simulator.Plant.Get<Pump>("pump-1").ValveSetpoint, 6);
        simulator.Plant.Run(150);
        var after = await ReadFloatsAsync(client, 20, 2);

        Assert.True(after[0] < before[0] * 0.5, $"flow {before[0]:F1} → {after[0]:F1} m³/h");
        Assert.True(after[1] > before[1] + 0.5, $"pressure {before[1]:F2} → {after[1]:F2} bar");
    }

    [Fact]
    public async Task The_stop_coil_drops_flow_and_pressure_within_a_few_ticks()
    {
        await using var simulator = StartManual();
        simulator.Plant.Run(100);
        await using var client = Client(simulator["pump-1"]);
        var running = await ReadFloatsAsync(client, 20, 2);

        await client.WriteSingleCoilAsync(1, 0, false);
        simulator.Plant.Run(5);
        var stopping = await ReadFloatsAsync(client, 20, 2);
        simulator.Plant.Run(25);
        var stopped = await ReadFloatsAsync(client, 20, 2);

        Assert.True(stopping[0] < running[0] * 0.6 && stopping[1] < running[1] * 0.6);
        Assert.True(stopped[0] < 0.5 && stopped[1] < 0.2);
        Assert.Equal((ushort)MachineState.Stopped, (await client.ReadInputRegistersAsync(1, 4, 1))[0]);
        Assert.Equal(new[] { false }, await client.ReadDiscreteInputsAsync(1, 0, 1));
    }

    [Fact]
    public async Task Injecting_overheating_by_command_trips_the_cnc_and_a_reset_after_repair_clears_it()
    {
        await using var simulator = StartManual(speed: 60);
        simulator.Plant.Run(100);
        await using var client = Client(simulator["cnc-1"]);

        await client.WriteSingleCoilAsync(1, 3, true);
        Assert.Equal(new[] { true }, await client.ReadCoilsAsync(1, 3, 1));
        var state = await RunUntilAsync(simulator.Plant, client, s => s[4] == (ushort)MachineState.Fault, 1000);
        Assert.Equal((ushort)(FaultBits.Overheating | FaultBits.TrippedOverTemperature), state[5]);
        Assert.Equal(new[] { false, false, true, true }, await client.ReadDiscreteInputsAsync(1, 0, 4));

        await client.WriteSingleCoilAsync(1, 3, false);
        await RunUntilAsync(simulator.Plant, client, s => ModbusValueCodec.ReadSingle(s.AsSpan(12), ModbusByteOrder.ABCD) < 65, 1000);
        await client.WriteSingleCoilAsync(1, 1, true);
        Assert.Equal(new[] { true }, await client.ReadCoilsAsync(1, 1, 1)); // pending until the next tick
        simulator.Plant.Step();
        Assert.Equal(new[] { false }, await client.ReadCoilsAsync(1, 1, 1));
        var after = await client.ReadInputRegistersAsync(1, 4, 2);
        Assert.NotEqual((ushort)MachineState.Fault, after[0]);
        Assert.Equal(0, after[1]);
    }

    [Fact]
    public async Task Injecting_a_bearing_defect_by_command_raises_vibration_until_the_bearings_are_replaced()
    {
        await using var simulator = StartManual(speed: 10);
        simulator.Plant.Run(50);
        await using var client = Client(simulator["conveyor-1"]);
        var before = (await ReadFloatsAsync(client, 14, 1))[0];

        await client.WriteMultipleCoilsAsync(1, 2, new[] { true });
        simulator.Plant.Run(700); // 700 s: fully developed after 600 s
        var defective = (await ReadFloatsAsync(client, 14, 1))[0];
        Assert.True(defective > before + 4, $"{before:F2} → {defective:F2} mm/s");
        Assert.Equal((ushort)FaultBits.BearingDefect, (await client.ReadInputRegistersAsync(1, 5, 1))[0]);

        await client.WriteSingleCoilAsync(1, 5, true);
        simulator.Plant.Run(5);
        Assert.True((await ReadFloatsAsync(client, 14, 1))[0] < before + 1);
        Assert.Equal(new[] { false }, await client.ReadCoilsAsync(1, 2, 1));
    }

    [Fact]
    public async Task Writes_outside_the_writable_points_or_their_ranges_are_refused_and_change_nothing()
    {
        await using var simulator = StartManual();
        await using var client = Client(simulator["cnc-1"]);

        var outOfRange = await Assert.ThrowsAsync<ModbusException>(async () => await client.WriteMultipleRegistersAsync(1, 0, new ushort[] { 9000, 500 }));
        Assert.Equal(ModbusExceptionCode.IllegalDataValue, outOfRange.ExceptionCode);
        Assert.Equal(new ushort[] { 8000, 100 }, await client.ReadHoldingRegistersAsync(1, 0, 2));

        var beyond = await Assert.ThrowsAsync<ModbusException>(async () => await client.WriteSingleRegisterAsync(1, 3, 1));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, beyond.ExceptionCode);
        var pastMap = await Assert.ThrowsAsync<ModbusException>(async () => await client.ReadInputRegistersAsync(1, 33, 2));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, pastMap.ExceptionCode);

        await using var meter = Client(simulator["meter-1"]);
        var noHolding = await Assert.ThrowsAsync<ModbusException>(async () => await meter.ReadHoldingRegistersAsync(1, 0, 1));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, noHolding.ExceptionCode);
        var otherUnit = await Assert.ThrowsAsync<ModbusException>(async () => await meter.ReadInputRegistersAsync(7, 0, 2));
        Assert.Equal(ModbusExceptionCode.GatewayTargetDeviceFailedToRespond, otherUnit.ExceptionCode);
        Assert.Equal(2, (await meter.ReadInputRegistersAsync(255, 0, 2)).Length);
    }

    [Fact]
    public void A_taken_port_fails_the_start_and_releases_the_ports_already_bound()
    {
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        var taken = ((System.Net.IPEndPoint)occupant.LocalEndpoint).Port;

        Assert.ThrowsAny<System.Net.Sockets.SocketException>(() =>
            PlantSimulator.Start(new SimulatorOptions { BasePort = taken - 2, RunClock = false }));

        // cnc-1 and conveyor-1 had bound the two ports below: they are free again.
        foreach (var port in new[] { taken - 2, taken - 1 })
        {
            using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            probe.Start();
        }
    }

    private static async Task<float[]> ReadFloatsAsync(ModbusTcpClient client, ushort address, int count)
    {
        var registers = await client.ReadInputRegistersAsync(1, address, count * 2);
        return [.. Enumerable.Range(0, count).Select(i => ModbusValueCodec.ReadSingle(registers.AsSpan(i * 2), ModbusByteOrder.ABCD))];
    }

    private static async Task<ushort[]> RunUntilAsync(Plant plant, ModbusTcpClient client, Func<ushort[], bool> condition, int maxTicks)
    {
        for (var i = 0; i < maxTicks; i++)
        {
            var registers = await client.ReadInputRegistersAsync(1, 0, 20);
            if (condition(registers))
                return registers;
            plant.Step();
        }

        Assert.Fail($"Not reached within {maxTicks} ticks.");
        return [];
    }
}
