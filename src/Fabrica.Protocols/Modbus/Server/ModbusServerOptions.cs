using System.Net;

namespace Fabrica.Protocols.Modbus;

/// <summary>Where a <see cref="ModbusTcpServer"/> listens and how many clients it serves.</summary>
public sealed record ModbusServerOptions
{
    /// <summary>Port 0 picks a free port; <see cref="ModbusTcpServer.LocalEndPoint"/> tells which.</summary>
    public IPEndPoint EndPoint { get; init; } = new(IPAddress.Loopback, 502);

    /// <summary>Connections beyond this are closed at once (Messaging on TCP/IP §4.2.1 leaves the number to the device).</summary>
    public int MaxConnections { get; init; } = 256;
}
