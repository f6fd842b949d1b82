namespace Fabrica.Protocols.Modbus;

/// <summary>Where a <see cref="ModbusTcpClient"/> connects and how patient it is.</summary>
public sealed record ModbusClientOptions
{
    /// <summary>Host name or IP address of the device or gateway.</summary>
    public required string Host { get; init; }

    /// <summary>Messaging on TCP/IP §4.1.1: port 502 is reserved for Modbus.</summary>
    public int Port { get; init; } = 502;

    /// <summary>How long one request waits for its response.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Requests in flight at once on the connection, matched by transaction id (Messaging on TCP/IP §4.2.1 lets a
    /// client send several). Devices that serve one at a time still work: they answer in order, only slower.
    /// </summary>
    public int MaxOutstandingRequests { get; init; } = 8;

    /// <summary>The first wait after a failed connect; it doubles with each failure up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Discard responses whose unit id differs from the request's. Turn off for gateways that answer with
    /// another unit id (some answer 0 or 255 whatever was asked).
    /// </summary>
    public bool ValidateUnitId { get; init; } = true;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Host);
        ArgumentOutOfRangeException.ThrowIfLessThan(Port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxOutstandingRequests, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero);
    }
}
