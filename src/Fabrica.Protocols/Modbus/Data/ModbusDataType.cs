namespace Fabrica.Protocols.Modbus;

/// <summary>How a tag's value is laid out in 16-bit registers (the Modbus data model has no types, §4.3).</summary>
public enum ModbusDataType
{
    /// <summary>A coil or discrete input; in a register table, true when the register is not 0.</summary>
    Bool,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    Float32,
    Float64,

    /// <summary>Two 8-bit characters per register, NUL-padded; its length is set per tag, in registers.</summary>
    String,
}

/// <summary>
/// Order of the bytes of a multi-register value, named by where the big-endian bytes A (most significant)
/// to D land: the spec fixes big-endian only inside one register (§4.2), devices differ on the rest.
/// </summary>
public enum ModbusByteOrder
{
    /// <summary>Big-endian registers, most significant register first (the Modbus "natural" order).</summary>
    ABCD,

    /// <summary>Big-endian registers, least significant register first ("word swap", common on PLCs).</summary>
    CDAB,

    /// <summary>Bytes swapped inside each register, most significant register first.</summary>
    BADC,

    /// <summary>Fully little-endian.</summary>
    DCBA,
}
