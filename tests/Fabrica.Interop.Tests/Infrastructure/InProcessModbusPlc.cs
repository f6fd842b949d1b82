using System.Net;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Interop.Tests.Infrastructure;

/// <summary>
/// A PLC for edge tests: our Modbus TCP server on a free loopback port, serving one in-memory unit (id 1) whose
/// registers and coils a test sets and reads directly.
/// </summary>
public sealed class InProcessModbusPlc : IAsyncDisposable
{
    private readonly ModbusTcpServer _server;

    private InProcessModbusPlc(ModbusMemoryUnit unit)
    {
        Unit = unit;
        _server = new ModbusTcpServer(new ModbusMemoryDataModel().Add(1, unit), new ModbusServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
    }

    /// <summary>The PLC's memory, unit 1.</summary>
    public ModbusMemoryUnit Unit { get; }

    public int Port => _server.LocalEndPoint.Port;

    /// <summary>Starts a PLC with <paramref name="coils"/> coils and <paramref name="holdingRegisters"/> holding registers (one input of each other kind).</summary>
    public static InProcessModbusPlc Start(int coils, int holdingRegisters)
    {
        var plc = new InProcessModbusPlc(new ModbusMemoryUnit(coils: coils, discreteInputs: 1, inputRegisters: 1, holdingRegisters: holdingRegisters));
        plc._server.Start();
        return plc;
    }

    /// <summary>A Modbus TCP client of this PLC, to read back what the edge wrote.</summary>
    public ModbusTcpClient Client() => new(new ModbusClientOptions { Host = "127.0.0.1", Port = Port, RequestTimeout = TimeSpan.FromSeconds(10) });

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
