using System.Buffers.Binary;

namespace Fabrica.Protocols.Modbus;

/// <summary>
/// A request PDU as a server sees it (Application Protocol v1.1b3 §6). <see cref="Data"/> points into the
/// caller's buffer: packed coils (LSB first) or big-endian registers of a write.
/// </summary>
public readonly ref struct ModbusRequestPdu
{
    public byte FunctionCode { get; init; }

    /// <summary>Starting address of a read or write (the read part of §6.17).</summary>
    public ushort Address { get; init; }

    /// <summary>Quantity of a read or multiple write; 1 for single writes.</summary>
    public ushort Quantity { get; init; }

    /// <summary>The register value of §6.6, or 0xFF00/0x0000 of §6.5.</summary>
    public ushort Value { get; init; }

    /// <summary>§6.17 only: where the write part goes, and how many registers.</summary>
    public ushort WriteAddress { get; init; }

    public ushort WriteQuantity { get; init; }

    public ReadOnlySpan<byte> Data { get; init; }

    public ModbusFunctionCode Function => (ModbusFunctionCode)FunctionCode;

    /// <summary>
    /// Decodes a request following the servers' state diagrams of §6: an unknown function is 01, a quantity or
    /// byte count out of range (or a PDU of the wrong size) is 03, a range past address 65535 is 02.
    /// Returns <see cref="ModbusExceptionCode.None"/> when the request is well formed.
    /// </summary>
    public static ModbusExceptionCode TryParse(ReadOnlySpan<byte> pdu, out ModbusRequestPdu request)
    {
        request = default;
        if (pdu.IsEmpty)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        var function = pdu[0];
        switch ((ModbusFunctionCode)function)
        {
            case ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs:
                return ParseRead(pdu, ModbusLimits.MaxReadBits, out request);
            case ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters:
                return ParseRead(pdu, ModbusLimits.MaxReadRegisters, out request);
            case ModbusFunctionCode.WriteSingleCoil:
            case ModbusFunctionCode.WriteSingleRegister:
                if (pdu.Length != 5)
                {
                    return ModbusExceptionCode.IllegalDataValue;
                }

                var value = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
                if (function == (byte)ModbusFunctionCode.WriteSingleCoil && value is not (0xFF00 or 0x0000))
                {
                    return ModbusExceptionCode.IllegalDataValue;
                }

                request = new ModbusRequestPdu { FunctionCode = function, Address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]), Quantity = 1, Value = value };
                return ModbusExceptionCode.None;
            case ModbusFunctionCode.WriteMultipleCoils:
                return ParseWrite(pdu, 1, ModbusLimits.MaxWriteBits, bits: true, out request);
            case ModbusFunctionCode.WriteMultipleRegisters:
                return ParseWrite(pdu, 1, ModbusLimits.MaxWriteRegisters, bits: false, out request);
            case ModbusFunctionCode.ReadWriteMultipleRegisters:
                return ParseReadWrite(pdu, out request);
            default:
                return ModbusExceptionCode.IllegalFunction;
        }
    }

    private static ModbusExceptionCode ParseRead(ReadOnlySpan<byte> pdu, int max, out ModbusRequestPdu request)
    {
        request = default;
        if (pdu.Length != 5)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        var address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var quantity = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        var code = CheckRange(address, quantity, max);
        request = new ModbusRequestPdu { FunctionCode = pdu[0], Address = address, Quantity = quantity };
        return code;
    }

    // §6.11 / §6.12: address(2) quantity(2) byteCount(1) values(byteCount); start is where "address" begins.
    private static ModbusExceptionCode ParseWrite(ReadOnlySpan<byte> pdu, int start, int max, bool bits, out ModbusRequestPdu request)
    {
        request = default;
        if (pdu.Length < start + 5)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        var address = BinaryPrimitives.ReadUInt16BigEndian(pdu[start..]);
        var quantity = BinaryPrimitives.ReadUInt16BigEndian(pdu[(start + 2)..]);
        var byteCount = pdu[start + 4];
        var data = pdu[(start + 5)..];
        if (quantity < 1 || quantity > max
            || byteCount != (bits ? ModbusLimits.BitBytes(quantity) : quantity * 2)
            || data.Length != byteCount)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        var code = CheckRange(address, quantity, max);
        request = new ModbusRequestPdu { FunctionCode = pdu[0], Address = address, Quantity = quantity, Data = data };
        return code;
    }

    private static ModbusExceptionCode ParseReadWrite(ReadOnlySpan<byte> pdu, out ModbusRequestPdu request)
    {
        request = default;
        if (pdu.Length < 10)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        var readAddress = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var readQuantity = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        var code = ParseWrite(pdu, 5, ModbusLimits.MaxReadWriteWriteRegisters, bits: false, out var write);
        if (code == ModbusExceptionCode.IllegalDataValue || readQuantity < 1 || readQuantity > ModbusLimits.MaxReadRegisters)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        if (code == ModbusExceptionCode.None)
        {
            code = CheckRange(readAddress, readQuantity, ModbusLimits.MaxReadRegisters);
        }

        request = new ModbusRequestPdu
        {
            FunctionCode = pdu[0],
            Address = readAddress,
            Quantity = readQuantity,
            WriteAddress = write.Address,
            WriteQuantity = write.Quantity,
            Data = write.Data,
        };
        return code;
    }

    private static ModbusExceptionCode CheckRange(ushort address, ushort quantity, int max) =>
        quantity < 1 || quantity > max ? ModbusExceptionCode.IllegalDataValue
        : address + quantity > ModbusLimits.AddressSpace ? ModbusExceptionCode.IllegalDataAddress
        : ModbusExceptionCode.None;
}
