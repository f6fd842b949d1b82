namespace Fabrica.Protocols.Modbus;

/// <summary>The four primary tables of the data model (Application Protocol v1.1b3 §4.3).</summary>
public enum ModbusTable
{
    /// <summary>Single bits, read-write (function codes 1, 5, 15).</summary>
    Coils,

    /// <summary>Single bits, read-only (function code 2).</summary>
    DiscreteInputs,

    /// <summary>16-bit words, read-only (function code 4).</summary>
    InputRegisters,

    /// <summary>16-bit words, read-write (function codes 3, 6, 16, 23).</summary>
    HoldingRegisters,
}

public static class ModbusTableExtensions
{
    public static bool IsBits(this ModbusTable table) => table is ModbusTable.Coils or ModbusTable.DiscreteInputs;

    /// <summary>The read function of a table.</summary>
    public static ModbusFunctionCode ReadFunction(this ModbusTable table) => table switch
    {
        ModbusTable.Coils => ModbusFunctionCode.ReadCoils,
        ModbusTable.DiscreteInputs => ModbusFunctionCode.ReadDiscreteInputs,
        ModbusTable.InputRegisters => ModbusFunctionCode.ReadInputRegisters,
        _ => ModbusFunctionCode.ReadHoldingRegisters,
    };
}
