using System.Buffers.Binary;

namespace Fabrica.Protocols.Modbus;

/// <summary>What a response must match: the request's function and the fields a response echoes or sizes by.</summary>
/// <param name="Quantity">Bits or registers read (the read part for §6.17), or written for §6.11/§6.12.</param>
/// <param name="Value">The written value of §6.5 (0xFF00/0x0000) or §6.6.</param>
public readonly record struct ModbusExpectedResponse(ModbusFunctionCode Function, ushort Address, ushort Quantity, ushort Value = 0);

/// <summary>
/// Client side of the PDU: validates a response against its request before anything is copied out, so a
/// truncated or inconsistent PDU (the libmodbus out-of-bounds class of bugs) never reads past its own bytes.
/// </summary>
public static class ModbusResponseReader
{
    /// <summary>
    /// Returns <see cref="ModbusExceptionCode.None"/> for a well-formed normal response, the exception code of a
    /// well-formed exception response (§7), and throws <see cref="ModbusProtocolException"/> for anything else.
    /// </summary>
    public static ModbusExceptionCode Validate(ReadOnlySpan<byte> pdu, in ModbusExpectedResponse expected)
    {
        if (pdu.IsEmpty)
        {
            ModbusProtocolException.Throw(ModbusProtocolError.TruncatedPdu, "Empty response PDU.");
        }

        var function = (byte)expected.Function;
        if (pdu[0] == (function | 0x80))
        {
            // §7: function | 0x80, exception code: exactly 2 bytes.
            if (pdu.Length != 2)
            {
                ModbusProtocolException.Throw(pdu.Length < 2 ? ModbusProtocolError.TruncatedPdu : ModbusProtocolError.InvalidLength, $"Exception response of {pdu.Length} bytes, expected 2.");
            }

            return pdu[1] == 0 ? ThrowZeroException() : (ModbusExceptionCode)pdu[1];
        }

        if (pdu[0] != function)
        {
            ModbusProtocolException.Throw(ModbusProtocolError.FunctionMismatch, $"Response function 0x{pdu[0]:X2} for a request of 0x{function:X2}.");
        }

        switch (expected.Function)
        {
            case ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs:
                CheckByteCount(pdu, ModbusLimits.BitBytes(expected.Quantity));
                break;
            case ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters or ModbusFunctionCode.ReadWriteMultipleRegisters:
                CheckByteCount(pdu, expected.Quantity * 2);
                break;
            case ModbusFunctionCode.WriteSingleCoil or ModbusFunctionCode.WriteSingleRegister:
                CheckEcho(pdu, expected.Address, expected.Value);
                break;
            default:
                CheckEcho(pdu, expected.Address, expected.Quantity);
                break;
        }

        return ModbusExceptionCode.None;
    }

    /// <summary>Copies the registers of a validated §6.3/§6.4/§6.17 response.</summary>
    public static void ReadRegisters(ReadOnlySpan<byte> pdu, Span<ushort> destination)
    {
        var data = pdu.Slice(2, destination.Length * 2);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadUInt16BigEndian(data[(2 * i)..]);
        }
    }

    /// <summary>Unpacks the bits of a validated §6.1/§6.2 response (LSB of the first byte is the first address).</summary>
    public static void ReadBits(ReadOnlySpan<byte> pdu, Span<bool> destination)
    {
        var data = pdu.Slice(2, ModbusLimits.BitBytes(destination.Length));
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (data[i >> 3] & (1 << (i & 7))) != 0;
        }
    }

    private static void CheckByteCount(ReadOnlySpan<byte> pdu, int expectedCount)
    {
        if (pdu.Length < 2)
        {
            ModbusProtocolException.Throw(ModbusProtocolError.TruncatedPdu, "Read response without a byte count.");
        }

        if (pdu[1] != expectedCount)
        {
            ModbusProtocolException.Throw(ModbusProtocolError.ByteCountMismatch, $"Byte count {pdu[1]}, expected {expectedCount}.");
        }

        if (pdu.Length != 2 + expectedCount)
        {
            ModbusProtocolException.Throw(
                pdu.Length < 2 + expectedCount ? ModbusProtocolError.TruncatedPdu : ModbusProtocolError.InvalidLength,
                $"Read response PDU of {pdu.Length} bytes for byte count {expectedCount}.");
        }
    }

    private static void CheckEcho(ReadOnlySpan<byte> pdu, ushort first, ushort second)
    {
        if (pdu.Length != 5)
        {
            ModbusProtocolException.Throw(
                pdu.Length < 5 ? ModbusProtocolError.TruncatedPdu : ModbusProtocolError.InvalidLength,
                $"Write response PDU of {pdu.Length} bytes, expected 5.");
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]) != first || BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]) != second)
        {
            ModbusProtocolException.Throw(ModbusProtocolError.EchoMismatch, "Write response does not echo the request.");
        }
    }

    private static ModbusExceptionCode ThrowZeroException()
    {
        ModbusProtocolException.Throw(ModbusProtocolError.TruncatedPdu, "Exception response with exception code 0.");
        return default;
    }
}
