using System.Buffers.Binary;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Fuzz;

/// <summary>The per-PDU re-checks: the frame as a request to our server, and as a response to our client.</summary>
public static partial class ModbusFrameTarget
{
    /// <summary>
    /// The requests a client has outstanding, by transaction id modulo their count: one of every function, at the
    /// limits of §6 (2000 bits, 125 registers, 1968 coils written, §6.17 with 125 read).
    /// </summary>
    private static readonly ModbusExpectedResponse[] Outstanding =
    [
        new(ModbusFunctionCode.ReadHoldingRegisters, 0, 125),
        new(ModbusFunctionCode.ReadCoils, 0, 2000),
        new(ModbusFunctionCode.ReadInputRegisters, 7, 3),
        new(ModbusFunctionCode.ReadDiscreteInputs, 100, 1),
        new(ModbusFunctionCode.WriteSingleCoil, 9, 0, 0xFF00),
        new(ModbusFunctionCode.WriteSingleRegister, 9, 0, 0xBEEF),
        new(ModbusFunctionCode.WriteMultipleCoils, 20, 1968),
        new(ModbusFunctionCode.WriteMultipleRegisters, 10, 2),
        new(ModbusFunctionCode.ReadWriteMultipleRegisters, 40, 125),
        new(ModbusFunctionCode.ReadHoldingRegisters, 500, 1),
    ];

    private static void CheckAsServerRequest(byte[] pdu, byte unitId, ModbusMemoryDataModel model)
    {
        Span<byte> response = stackalloc byte[ModbusLimits.MaxPduLength];
        var code = ModbusRequestPdu.TryParse(pdu, out var request);
        var length = ModbusRequestHandler.Handle(pdu, unitId, model, response);
        FuzzInvariantException.Check(length is >= 2 and <= ModbusLimits.MaxPduLength, $"the server answered with a PDU of {length} bytes");
        var answer = response[..length];
        if (code != ModbusExceptionCode.None)
        {
            FuzzInvariantException.Check(length == 2 && answer[0] == (pdu[0] | 0x80) && answer[1] == (byte)code, $"a request refused with {code} was not answered with exception {code}");
            return;
        }

        FuzzInvariantException.Check(ReEncode(request).SequenceEqual(pdu), $"the {request.Function} request does not re-encode to its bytes");
        var expected = new ModbusExpectedResponse(request.Function, request.Address, request.Quantity, request.Value);
        try
        {
            // Our own client must accept what our server sends for a well-formed request (data or a §7 exception).
            ModbusResponseReader.Validate(answer, expected);
        }
        catch (ModbusProtocolException ex)
        {
            throw new FuzzInvariantException($"our client refuses our server's answer to {request.Function}: {ex.Message}", ex);
        }
    }

    private static void CheckAsClientResponse(byte[] pdu, ushort transactionId)
    {
        var expected = Outstanding[transactionId % Outstanding.Length];
        ModbusExceptionCode code;
        try
        {
            code = ModbusResponseReader.Validate(pdu, expected);
        }
        catch (ModbusProtocolException)
        {
            return;
        }

        Span<byte> encoded = stackalloc byte[ModbusLimits.MaxPduLength];
        int length;
        if (code != ModbusExceptionCode.None)
        {
            length = ModbusPduWriter.WriteExceptionResponse(encoded, (byte)expected.Function, code);
        }
        else if (expected.Function is ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs)
        {
            Span<bool> bits = stackalloc bool[expected.Quantity];
            ModbusResponseReader.ReadBits(pdu, bits);
            length = ModbusPduWriter.WriteBitsResponse(encoded, expected.Function, bits);

            // Unused high bits of the last byte are padding the sender may fill (§6.1): compare the significant ones.
            if (expected.Quantity % 8 != 0)
            {
                encoded[length - 1] |= (byte)(pdu[^1] & ~((1 << (expected.Quantity % 8)) - 1));
            }
        }
        else if (expected.Function is ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters or ModbusFunctionCode.ReadWriteMultipleRegisters)
        {
            Span<ushort> registers = stackalloc ushort[expected.Quantity];
            ModbusResponseReader.ReadRegisters(pdu, registers);
            length = ModbusPduWriter.WriteRegistersResponse(encoded, expected.Function, registers);
        }
        else
        {
            var second = expected.Function is ModbusFunctionCode.WriteSingleCoil or ModbusFunctionCode.WriteSingleRegister ? expected.Value : expected.Quantity;
            length = ModbusPduWriter.WriteEcho(encoded, expected.Function, expected.Address, second);
        }

        FuzzInvariantException.Check(encoded[..length].SequenceEqual(pdu), $"an accepted {expected.Function} response does not re-encode to its bytes");
    }

    private static byte[] ReEncode(in ModbusRequestPdu request)
    {
        var buffer = new byte[ModbusLimits.MaxPduLength];
        var registerCount = request.Function == ModbusFunctionCode.ReadWriteMultipleRegisters ? request.WriteQuantity : request.Quantity;
        var length = request.Function switch
        {
            ModbusFunctionCode.WriteSingleCoil or ModbusFunctionCode.WriteSingleRegister =>
                ModbusPduWriter.WriteEcho(buffer, request.Function, request.Address, request.Value),
            ModbusFunctionCode.WriteMultipleCoils => ModbusPduWriter.WriteMultipleCoilsRequest(buffer, request.Address, UnpackBits(request.Data, request.Quantity)),
            ModbusFunctionCode.WriteMultipleRegisters => ModbusPduWriter.WriteMultipleRegistersRequest(buffer, request.Address, UnpackRegisters(request.Data, registerCount)),
            ModbusFunctionCode.ReadWriteMultipleRegisters =>
                ModbusPduWriter.WriteReadWriteRequest(buffer, request.Address, request.Quantity, request.WriteAddress, UnpackRegisters(request.Data, registerCount)),
            _ => ModbusPduWriter.WriteReadRequest(buffer, request.Function, request.Address, request.Quantity),
        };

        // Packed coils carry unused high bits the sender may set (§6.11): compare the significant ones only.
        if (request.Function == ModbusFunctionCode.WriteMultipleCoils && request.Quantity % 8 != 0)
        {
            buffer[length - 1] |= (byte)(request.Data[^1] & ~((1 << (request.Quantity % 8)) - 1));
        }

        return buffer[..length];
    }

    private static ushort[] UnpackRegisters(ReadOnlySpan<byte> data, int count)
    {
        FuzzInvariantException.Check(data.Length == 2 * count, $"{data.Length} data bytes for {count} registers");
        var registers = new ushort[count];
        for (var i = 0; i < count; i++)
        {
            registers[i] = BinaryPrimitives.ReadUInt16BigEndian(data[(2 * i)..]);
        }

        return registers;
    }

    private static bool[] UnpackBits(ReadOnlySpan<byte> data, int count)
    {
        FuzzInvariantException.Check(data.Length == (count + 7) / 8, $"{data.Length} data bytes for {count} coils");
        var bits = new bool[count];
        for (var i = 0; i < count; i++)
        {
            bits[i] = (data[i >> 3] & (1 << (i & 7))) != 0;
        }

        return bits;
    }
}
