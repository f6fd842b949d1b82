namespace Fabrica.Protocols.Modbus;

/// <summary>
/// Exception codes of an exception response (Modbus Application Protocol v1.1b3 §7).
/// <see cref="None"/> is not on the wire: a data model returns it when a request succeeded.
/// </summary>
public enum ModbusExceptionCode : byte
{
    None = 0x00,
    IllegalFunction = 0x01,
    IllegalDataAddress = 0x02,
    IllegalDataValue = 0x03,
    ServerDeviceFailure = 0x04,
    Acknowledge = 0x05,
    ServerDeviceBusy = 0x06,
    MemoryParityError = 0x08,
    GatewayPathUnavailable = 0x0A,
    GatewayTargetDeviceFailedToRespond = 0x0B,
}

/// <summary>Names as the specification prints them, for error messages and logs.</summary>
public static class ModbusExceptionCodeNames
{
    public static string GetName(this ModbusExceptionCode code) => code switch
    {
        ModbusExceptionCode.None => "No Exception",
        ModbusExceptionCode.IllegalFunction => "Illegal Function",
        ModbusExceptionCode.IllegalDataAddress => "Illegal Data Address",
        ModbusExceptionCode.IllegalDataValue => "Illegal Data Value",
        ModbusExceptionCode.ServerDeviceFailure => "Server Device Failure",
        ModbusExceptionCode.Acknowledge => "Acknowledge",
        ModbusExceptionCode.ServerDeviceBusy => "Server Device Busy",
        ModbusExceptionCode.MemoryParityError => "Memory Parity Error",
        ModbusExceptionCode.GatewayPathUnavailable => "Gateway Path Unavailable",
        ModbusExceptionCode.GatewayTargetDeviceFailedToRespond => "Gateway Target Device Failed to Respond",
        _ => "Unknown Exception",
    };
}
