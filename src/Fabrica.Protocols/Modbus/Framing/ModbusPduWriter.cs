using System.Buffers.Binary;

namespace Fabrica.Protocols.Modbus;

/// <summary>
/// Encodes request and response PDUs (Application Protocol v1.1b3 §6). Each method returns the PDU length.
/// Quantities are checked against the spec limits here, so nothing out of range is ever sent.
/// </summary>
public static class ModbusPduWriter
{
    /// <summary>§6.1–§6.4 request: function, starting address, quantity.</summary>
    public static int WriteReadRequest(Span<byte> destination, ModbusFunctionCode function, ushort address, int quantity)
    {
        var max = function switch
        {
            ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs => ModbusLimits.MaxReadBits,
            ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters => ModbusLimits.MaxReadRegisters,
            _ => throw new ArgumentOutOfRangeException(nameof(function), function, "Not a read function."),
        };
        CheckRange(address, quantity, max);
        return WriteEcho(destination, function, address, (ushort)quantity);
    }

    /// <summary>§6.5: ON is 0xFF00, OFF is 0x0000.</summary>
    public static int WriteSingleCoilRequest(Span<byte> destination, ushort address, bool value) =>
        WriteEcho(destination, ModbusFunctionCode.WriteSingleCoil, address, value ? (ushort)0xFF00 : (ushort)0);

    /// <summary>§6.6.</summary>
    public static int WriteSingleRegisterRequest(Span<byte> destination, ushort address, ushort value) =>
        WriteEcho(destination, ModbusFunctionCode.WriteSingleRegister, address, value);

    /// <summary>§6.11: address, quantity, byte count, coils packed LSB first.</summary>
    public static int WriteMultipleCoilsRequest(Span<byte> destination, ushort address, ReadOnlySpan<bool> values)
    {
        CheckRange(address, values.Length, ModbusLimits.MaxWriteBits);
        WriteEcho(destination, ModbusFunctionCode.WriteMultipleCoils, address, (ushort)values.Length);
        return 5 + WriteBitsWithCount(destination[5..], values);
    }

    /// <summary>§6.12: address, quantity, byte count, registers big-endian.</summary>
    public static int WriteMultipleRegistersRequest(Span<byte> destination, ushort address, ReadOnlySpan<ushort> values)
    {
        CheckRange(address, values.Length, ModbusLimits.MaxWriteRegisters);
        WriteEcho(destination, ModbusFunctionCode.WriteMultipleRegisters, address, (ushort)values.Length);
        return 5 + WriteRegistersWithCount(destination[5..], values);
    }

    /// <summary>§6.17: read address, read quantity, write address, write quantity, byte count, registers.</summary>
    public static int WriteReadWriteRequest(Span<byte> destination, ushort readAddress, int readQuantity, ushort writeAddress, ReadOnlySpan<ushort> values)
    {
        CheckRange(readAddress, readQuantity, ModbusLimits.MaxReadRegisters);
        CheckRange(writeAddress, values.Length, ModbusLimits.MaxReadWriteWriteRegisters);
        WriteEcho(destination, ModbusFunctionCode.ReadWriteMultipleRegisters, readAddress, (ushort)readQuantity);
        BinaryPrimitives.WriteUInt16BigEndian(destination[5..], writeAddress);
        BinaryPrimitives.WriteUInt16BigEndian(destination[7..], (ushort)values.Length);
        return 9 + WriteRegistersWithCount(destination[9..], values);
    }

    /// <summary>§6.1/§6.2 response: byte count, then the bits packed LSB first, unused high bits zero.</summary>
    public static int WriteBitsResponse(Span<byte> destination, ModbusFunctionCode function, ReadOnlySpan<bool> values)
    {
        destination[0] = (byte)function;
        return 1 + WriteBitsWithCount(destination[1..], values);
    }

    /// <summary>§6.3/§6.4/§6.17 response: byte count, then the registers big-endian.</summary>
    public static int WriteRegistersResponse(Span<byte> destination, ModbusFunctionCode function, ReadOnlySpan<ushort> values)
    {
        destination[0] = (byte)function;
        return 1 + WriteRegistersWithCount(destination[1..], values);
    }

    /// <summary>The 5-byte shape shared by read requests and the responses of §6.5, §6.6, §6.11, §6.12.</summary>
    public static int WriteEcho(Span<byte> destination, ModbusFunctionCode function, ushort first, ushort second)
    {
        destination[0] = (byte)function;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], first);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], second);
        return 5;
    }

    /// <summary>§7: the request's function code with bit 7 set, then the exception code.</summary>
    public static int WriteExceptionResponse(Span<byte> destination, byte functionCode, ModbusExceptionCode code)
    {
        destination[0] = (byte)(functionCode | 0x80);
        destination[1] = (byte)code;
        return 2;
    }

    private static int WriteBitsWithCount(Span<byte> destination, ReadOnlySpan<bool> values)
    {
        var count = ModbusLimits.BitBytes(values.Length);
        destination[0] = (byte)count;
        var packed = destination.Slice(1, count);
        packed.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i])
            {
                packed[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        return 1 + count;
    }

    private static int WriteRegistersWithCount(Span<byte> destination, ReadOnlySpan<ushort> values)
    {
        destination[0] = (byte)(values.Length * 2);
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(1 + (2 * i))..], values[i]);
        }

        return 1 + (values.Length * 2);
    }

    private static void CheckRange(ushort address, int quantity, int max)
    {
        if (quantity < 1 || quantity > max)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, $"The quantity must be 1 to {max} for this function.");
        }

        if (address + quantity > ModbusLimits.AddressSpace)
        {
            throw new ArgumentOutOfRangeException(nameof(address), address, "The range ends beyond address 65535.");
        }
    }
}
