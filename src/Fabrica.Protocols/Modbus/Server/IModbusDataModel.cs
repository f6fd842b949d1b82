namespace Fabrica.Protocols.Modbus;

/// <summary>
/// What a <see cref="ModbusTcpServer"/> serves: one <see cref="IModbusUnit"/> per unit identifier
/// (Messaging on TCP/IP §4.4.2: the unit identifier addresses a device behind a gateway; a plain device may
/// answer every unit id). A simulator implements this over its own state.
/// </summary>
public interface IModbusDataModel
{
    /// <summary>The unit, or null when there is none: the server then answers 0x0B (gateway target failed to respond).</summary>
    IModbusUnit? GetUnit(byte unitId);
}

/// <summary>
/// The four tables of one device (Application Protocol §4.3). Each call covers a whole request and returns
/// <see cref="ModbusExceptionCode.None"/>, or the exception to answer with (02 for addresses outside the map).
/// Calls may come from several connections at once.
/// </summary>
public interface IModbusUnit
{
    /// <summary>Reads <see cref="ModbusTable.Coils"/> or <see cref="ModbusTable.DiscreteInputs"/>.</summary>
    ModbusExceptionCode ReadBits(ModbusTable table, ushort address, Span<bool> destination);

    /// <summary>Reads <see cref="ModbusTable.HoldingRegisters"/> or <see cref="ModbusTable.InputRegisters"/>.</summary>
    ModbusExceptionCode ReadRegisters(ModbusTable table, ushort address, Span<ushort> destination);

    ModbusExceptionCode WriteCoils(ushort address, ReadOnlySpan<bool> values);

    ModbusExceptionCode WriteRegisters(ushort address, ReadOnlySpan<ushort> values);
}
