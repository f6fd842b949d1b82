using Fabrica.Protocols.Modbus;
using Fabrica.Simulator.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace Fabrica.Simulator.Tests.Runtime;

public sealed class PlantSimulatorClockTests
{
    [Fact]
    public async Task The_clock_steps_the_plant_once_per_tick_of_the_injected_time_provider()
    {
        var time = new FakeTimeProvider();
        await using var simulator = PlantSimulator.Start(new SimulatorOptions
        {
            BasePort = 0,
            Plant = new PlantOptions { Tick = TimeSpan.FromMilliseconds(250), Speed = 4 },
        }, time);
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = simulator["meter-1"].EndPoint.Port });

        for (var tick = 1; tick <= 20; tick++)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            await WaitAsync(() => simulator.Plant.TickCount == tick);
        }

        var registers = await client.ReadInputRegistersAsync(1, 0, 4);
        Assert.Equal(20u, ModbusValueCodec.ReadUInt32(registers, ModbusByteOrder.ABCD));
        Assert.Equal(20u, ModbusValueCodec.ReadUInt32(registers.AsSpan(2), ModbusByteOrder.ABCD)); // 20 × 0.25 s × 4

        time.Advance(TimeSpan.FromMilliseconds(100));
        await Task.Delay(50);
        Assert.Equal(20, simulator.Plant.TickCount);
    }

    [Fact]
    public async Task Disposing_stops_the_clock_and_closes_the_ports()
    {
        var simulator = PlantSimulator.Start(new SimulatorOptions { BasePort = 0, Plant = new PlantOptions { Tick = TimeSpan.FromMilliseconds(10) } });
        var port = simulator["cnc-1"].EndPoint.Port;
        await WaitAsync(() => simulator.Plant.TickCount >= 3);
        await simulator.DisposeAsync();
        Assert.True(simulator.Completion.IsCompletedSuccessfully);
        var ticks = simulator.Plant.TickCount;
        await Task.Delay(50);
        Assert.Equal(ticks, simulator.Plant.TickCount);

        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = port, ConnectTimeout = TimeSpan.FromSeconds(1) });
        await Assert.ThrowsAnyAsync<Exception>(async () => await client.ReadInputRegistersAsync(1, 0, 2));
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the simulator");
            await Task.Delay(2);
        }
    }
}
