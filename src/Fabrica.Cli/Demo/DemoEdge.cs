using Fabrica.Edge.Configuration;
using Fabrica.Security;
using Fabrica.Security.Devices;
using Fabrica.Security.Gateways;
using Fabrica.Simulator.Runtime;

namespace Fabrica.Cli.Demo;

/// <summary>
/// The edge of <c>fabrica demo</c>: registered on the platform as any edge is (a gateway with its own token), and
/// configured with one Modbus device per simulated machine whose tags are the machine's documented register map
/// (docs/simulator.md) — the configuration an engineer would write for <c>fabrica edge</c> by hand.
/// </summary>
internal static class DemoEdge
{
    public const string Id = "demo-edge";

    public static readonly TimeSpan PollPeriod = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Registers the edge, or issues it a new token when an earlier demo run registered it; and gives it the machines
    /// that already exist as devices (e.g. from an older demo), which an edge may otherwise not publish for.
    /// </summary>
    public static async Task<string> RegisterAsync(GatewayRegistry gateways, DeviceRegistry devices, IEnumerable<string> machines, CancellationToken cancellationToken)
    {
        var caller = Caller.System("demo");
        var token = (await gateways.RotateTokenAsync(Id, caller, cancellationToken))?.Token
            ?? (await gateways.RegisterAsync(Id, "demo edge (simulated line 1)", caller, cancellationToken)).Token;
        foreach (var machine in machines)
        {
            if (await devices.GetAsync(machine, cancellationToken) is { } device && device.GatewayId != Id)
                await gateways.AssignDeviceAsync(Id, machine, caller, cancellationToken);
        }
        return token;
    }

    public static EdgeOptions Options(string token, int mqttPort, string bufferDirectory, IReadOnlyList<MachineEndpoint> machines) => new()
    {
        Id = Id,
        Token = token,
        Platform = new PlatformEndpoint { Host = "127.0.0.1", Port = mqttPort },
        Buffer = new BufferOptions { Directory = bufferDirectory, MaxBytes = 64L * 1024 * 1024, SegmentBytes = 1024 * 1024 },
        Devices = [.. machines.Select(Device)],
    };

    private static DeviceOptions Device(MachineEndpoint machine) => new()
    {
        Id = machine.Machine.Id,
        Adapter = "modbus",
        PollPeriod = PollPeriod,
        Settings = System.Text.Json.JsonSerializer.SerializeToElement(
            new DemoModbusSettings(machine.EndPoint.Address.ToString(), machine.EndPoint.Port, 1),
            DemoJsonContext.Default.DemoModbusSettings),
        Tags = [.. machine.Map.Points.Select(p => new TagOptions
        {
            Name = p.Name,
            Address = $"{TablePrefix(p.Table)}:{p.Address}",
            DataType = p.Type.ToString().ToLowerInvariant(),
            Scale = p.Scale,
            Unit = p.Unit.Length == 0 ? null : p.Unit,
        })],
    };

    private static string TablePrefix(Fabrica.Protocols.Modbus.ModbusTable table) => table switch
    {
        Fabrica.Protocols.Modbus.ModbusTable.HoldingRegisters => "hr",
        Fabrica.Protocols.Modbus.ModbusTable.InputRegisters => "ir",
        Fabrica.Protocols.Modbus.ModbusTable.Coils => "coil",
        _ => "di",
    };
}

/// <summary>The <c>settings</c> of a demo Modbus device, as the edge configuration file would hold them.</summary>
internal sealed record DemoModbusSettings(string Host, int Port, int UnitId);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(DemoModbusSettings))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class DemoJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
