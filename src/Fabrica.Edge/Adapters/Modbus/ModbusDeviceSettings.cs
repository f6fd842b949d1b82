using Fabrica.Protocols.Modbus;

namespace Fabrica.Edge.Adapters.Modbus;

/// <summary>
/// A Modbus device's <c>settings</c> (docs/edge.md, "Modbus adapter"): where it is, how patient to be, and how far
/// reads may be coalesced. Everything but <see cref="Host"/> has a default.
/// </summary>
internal sealed record ModbusDeviceSettings
{
    public string Host { get; init; } = "";

    /// <summary>Messaging on TCP/IP §4.1.1: 502 is Modbus's port.</summary>
    public int Port { get; init; } = 502;

    /// <summary>The unit identifier (MBAP): 1 for most devices, the slave address behind a gateway; 255 or 0 as some servers expect.</summary>
    public byte UnitId { get; init; } = 1;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Requests in flight on the connection; 1 for devices that cannot pipeline.</summary>
    public int MaxOutstandingRequests { get; init; } = 8;

    /// <summary>Unused addresses one read may span to join two tags (0: only adjacent tags; a gap may hit addresses the device refuses).</summary>
    public int MaxGap { get; init; }

    public int MaxRegistersPerRequest { get; init; } = ModbusLimits.MaxReadRegisters;

    public int MaxBitsPerRequest { get; init; } = ModbusLimits.MaxReadBits;

    /// <summary>Default byte order of multi-register values; a tag may set its own.</summary>
    public ModbusByteOrder ByteOrder { get; init; } = ModbusByteOrder.ABCD;

    public ModbusClientOptions ToClientOptions() => new()
    {
        Host = Host,
        Port = Port,
        RequestTimeout = RequestTimeout,
        ConnectTimeout = ConnectTimeout,
        MaxOutstandingRequests = MaxOutstandingRequests,
    };

    public ModbusReadPlannerOptions ToPlannerOptions() => new()
    {
        MaxGap = MaxGap,
        MaxRegistersPerRequest = MaxRegistersPerRequest,
        MaxBitsPerRequest = MaxBitsPerRequest,
    };
}
