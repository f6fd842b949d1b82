namespace Fabrica.Protocols.Modbus;

/// <summary>Limits the specifications set on lengths and quantities; every value from the wire is checked against them.</summary>
public static class ModbusLimits
{
    /// <summary>Application Protocol §4.1: a PDU is at most 253 bytes (256-byte serial ADU minus address and CRC).</summary>
    public const int MaxPduLength = 253;

    /// <summary>Messaging on TCP/IP §3.1.3: the MBAP header is 7 bytes (transaction, protocol, length, unit).</summary>
    public const int MbapHeaderLength = 7;

    /// <summary>The MBAP length field counts the unit identifier and the PDU: at most 1 + 253.</summary>
    public const int MaxMbapLength = 1 + MaxPduLength;

    /// <summary>The smallest MBAP length: the unit identifier and a function code.</summary>
    public const int MinMbapLength = 2;

    /// <summary>Messaging on TCP/IP §3.1.3: a TCP ADU is at most 260 bytes.</summary>
    public const int MaxAduLength = MbapHeaderLength - 1 + MaxMbapLength;

    /// <summary>§6.1, §6.2: read coils / discrete inputs, 1 to 2000 (0x7D0).</summary>
    public const int MaxReadBits = 2000;

    /// <summary>§6.3, §6.4, §6.17: read registers, 1 to 125 (0x7D).</summary>
    public const int MaxReadRegisters = 125;

    /// <summary>§6.11: write multiple coils, 1 to 1968 (0x7B0).</summary>
    public const int MaxWriteBits = 1968;

    /// <summary>§6.12: write multiple registers, 1 to 123 (0x7B).</summary>
    public const int MaxWriteRegisters = 123;

    /// <summary>§6.17: the write part of read/write multiple registers, 1 to 121 (0x79).</summary>
    public const int MaxReadWriteWriteRegisters = 121;

    /// <summary>The data model has 65 536 addresses per table (§4.4): an access must end at or below this.</summary>
    public const int AddressSpace = 0x10000;

    internal static int BitBytes(int quantity) => (quantity + 7) >> 3;
}
