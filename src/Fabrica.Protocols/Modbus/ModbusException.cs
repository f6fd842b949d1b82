namespace Fabrica.Protocols.Modbus;

/// <summary>
/// A device answered with an exception response (Application Protocol §7): the request reached it and was refused.
/// </summary>
public sealed class ModbusException : Exception
{
    public ModbusException()
        : this("The Modbus device answered with an exception response.")
    {
    }

    public ModbusException(string message)
        : base(message)
    {
    }

    public ModbusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModbusException(ModbusFunctionCode functionCode, ModbusExceptionCode exceptionCode, byte unitId)
        : base($"Modbus unit {unitId} refused {functionCode} (0x{(byte)functionCode:X2}) with exception 0x{(byte)exceptionCode:X2} {exceptionCode.GetName()}.")
    {
        FunctionCode = functionCode;
        ExceptionCode = exceptionCode;
        UnitId = unitId;
    }

    public ModbusFunctionCode FunctionCode { get; }

    public ModbusExceptionCode ExceptionCode { get; }

    /// <summary>The name the specification gives to <see cref="ExceptionCode"/>, e.g. "Illegal Data Address".</summary>
    public string ExceptionName => ExceptionCode.GetName();

    public byte UnitId { get; }
}

/// <summary>The TCP connection to a Modbus device could not be opened, or closed while requests were in flight.</summary>
public sealed class ModbusConnectionException : IOException
{
    public ModbusConnectionException()
    {
    }

    public ModbusConnectionException(string message)
        : base(message)
    {
    }

    public ModbusConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
