using System.Net;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Protocols.Tests.Modbus;

/// <summary>Our server on a free loopback port with unit 1 (100 addresses per table) and a client for it.</summary>
internal sealed class ModbusTestServer : IAsyncDisposable
{
    private ModbusTestServer(ModbusTcpServer server, ModbusMemoryUnit unit)
    {
        Server = server;
        Unit = unit;
    }

    public ModbusTcpServer Server { get; }

    public ModbusMemoryUnit Unit { get; }

    public int Port => Server.LocalEndPoint.Port;

    public static ModbusTestServer Start(int size = 100)
    {
        var unit = new ModbusMemoryUnit(size, size, size, size);
        var server = new ModbusTcpServer(new ModbusMemoryDataModel().Add(1, unit), new ModbusServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        server.Start();
        return new ModbusTestServer(server, unit);
    }

    public ModbusTcpClient CreateClient(TimeSpan? timeout = null) =>
        new(new ModbusClientOptions { Host = "127.0.0.1", Port = Port, RequestTimeout = timeout ?? TimeSpan.FromSeconds(5) });

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
