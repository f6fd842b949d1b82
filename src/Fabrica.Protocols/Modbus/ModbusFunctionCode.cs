namespace Fabrica.Protocols.Modbus;

/// <summary>
/// The public function codes this library speaks (Modbus Application Protocol v1.1b3 §5.1, §6).
/// An exception response carries the request's code with the high bit set (§7).
/// </summary>
public enum ModbusFunctionCode : byte
{
    /// <summary>§6.1: 1 to 2000 coils.</summary>
    ReadCoils = 0x01,

    /// <summary>§6.2: 1 to 2000 discrete inputs.</summary>
    ReadDiscreteInputs = 0x02,

    /// <summary>§6.3: 1 to 125 holding registers.</summary>
    ReadHoldingRegisters = 0x03,

    /// <summary>§6.4: 1 to 125 input registers.</summary>
    ReadInputRegisters = 0x04,

    /// <summary>§6.5: one coil, ON = 0xFF00, OFF = 0x0000; the response echoes the request.</summary>
    WriteSingleCoil = 0x05,

    /// <summary>§6.6: one holding register; the response echoes the request.</summary>
    WriteSingleRegister = 0x06,

    /// <summary>§6.11: 1 to 1968 coils.</summary>
    WriteMultipleCoils = 0x0F,

    /// <summary>§6.12: 1 to 123 holding registers.</summary>
    WriteMultipleRegisters = 0x10,

    /// <summary>§6.17: writes 1 to 121 registers, then reads 1 to 125, in one transaction.</summary>
    ReadWriteMultipleRegisters = 0x17,
}
