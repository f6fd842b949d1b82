using Microsoft.Extensions.Logging;

namespace Fabrica.Protocols.Modbus;

/// <summary>Log messages of the Modbus client and server, with stable event ids (7000–7099).</summary>
internal static partial class ModbusLog
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "Modbus client connected to {Endpoint}")]
    public static partial void Connected(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Modbus client could not connect to {Endpoint}; next attempt in {DelayMs} ms: {Error}")]
    public static partial void ConnectFailed(ILogger logger, string endpoint, long delayMs, string error);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Modbus connection to {Endpoint} closed, {Failed} requests in flight failed: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, string endpoint, int failed, string reason);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Debug, Message = "Modbus response from {Endpoint} discarded ({Reason}): {Detail}")]
    public static partial void ResponseDiscarded(ILogger logger, string endpoint, ModbusProtocolError reason, string detail);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Debug, Message = "Modbus request to {Endpoint} timed out: {Function} unit {UnitId} transaction {TransactionId}")]
    public static partial void RequestTimedOut(ILogger logger, string endpoint, ModbusFunctionCode function, byte unitId, ushort transactionId);

    [LoggerMessage(EventId = 7050, Level = LogLevel.Information, Message = "Modbus server listening on {Endpoint}")]
    public static partial void ServerListening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 7051, Level = LogLevel.Debug, Message = "Modbus server: client {Remote} connected")]
    public static partial void ServerClientConnected(ILogger logger, string remote);

    [LoggerMessage(EventId = 7052, Level = LogLevel.Debug, Message = "Modbus server: client {Remote} disconnected: {Reason}")]
    public static partial void ServerClientClosed(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 7053, Level = LogLevel.Warning, Message = "Modbus server: connection from {Remote} refused, {Max} clients already connected")]
    public static partial void ServerClientRefused(ILogger logger, string remote, int max);

    [LoggerMessage(EventId = 7054, Level = LogLevel.Debug, Message = "Modbus server: frame from {Remote} discarded ({Reason}): {Detail}")]
    public static partial void ServerFrameDiscarded(ILogger logger, string remote, ModbusProtocolError reason, string detail);
}
