using System.Net;
using Fabrica.Edge.Adapters;
using Fabrica.Edge.Adapters.Modbus;
using Fabrica.Edge.Configuration;
using Fabrica.Protocols.Modbus;
using Fabrica.Simulator.Modbus;
using Fabrica.Simulator.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Edge.Tests.Adapters.Modbus;

/// <summary>An in-process simulated line on free loopback ports, and edge configuration for its machines.</summary>
internal static class SimulatedPlant
{
    public static PlantSimulator Start(TimeSpan? tick = null, bool runClock = true) => PlantSimulator.Start(new SimulatorOptions
    {
        BasePort = 0,
        Bind = IPAddress.Loopback,
        RunClock = runClock,
        Plant = new PlantOptions { Seed = 3, Lines = 1, Tick = tick ?? TimeSpan.FromMilliseconds(100) },
    }, TimeProvider.System, NullLoggerFactory.Instance);

    /// <summary>A device with every documented point of the machine as a tag, as docs/simulator.md lists them.</summary>
    public static DeviceOptions Device(MachineEndpoint machine, string extraSettings = "") => new()
    {
        Id = machine.Machine.Id,
        Adapter = "modbus",
        Settings = Json($$"""{"host": "127.0.0.1", "port": {{machine.EndPoint.Port}}, "unitId": 1, "requestTimeout": "5s"{{extraSettings}}}"""),
        Tags = [.. machine.Map.Points.Select(Tag)],
    };

    public static TagOptions Tag(RegisterPoint point) => new()
    {
        Name = point.Name,
        Address = $"{ModbusTagAddress.Prefix(point.Table)}:{point.Address}",
        DataType = ModbusConfigReader.Name(point.Type),
        Scale = point.Scale,
        Unit = point.Unit.Length == 0 ? null : point.Unit,
    };

    public static System.Text.Json.JsonElement Json(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();

    public static async Task<IDeviceAdapter> ConnectAsync(DeviceOptions device)
    {
        var factory = new ModbusDeviceAdapterFactory();
        Assert.Empty(factory.Validate(device, "$.devices[0]"));
        var adapter = factory.Create(device, new AdapterContext(TimeProvider.System, NullLoggerFactory.Instance));
        await adapter.ConnectAsync();
        return adapter;
    }

    public static async Task<TagReading[]> ReadAsync(IDeviceAdapter adapter, IReadOnlyList<TagOptions> tags)
    {
        var readings = new TagReading[tags.Count];
        await adapter.ReadAsync(tags, readings);
        return readings;
    }

    public static bool IsBits(ModbusTable table) => table.IsBits();
}
