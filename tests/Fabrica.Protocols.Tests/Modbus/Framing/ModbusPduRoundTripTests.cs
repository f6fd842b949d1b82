using System.Buffers;
using CsCheck;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Protocols.Tests.Modbus.Framing;

public sealed class ModbusPduRoundTripTests
{
    private static readonly Gen<(ModbusFunctionCode Function, ushort Address, int Quantity)> ReadRequests =
        from function in Gen.Int[1, 4].Select(i => (ModbusFunctionCode)i)
        from quantity in Gen.Int[1, function <= ModbusFunctionCode.ReadDiscreteInputs ? ModbusLimits.MaxReadBits : ModbusLimits.MaxReadRegisters]
        from address in Gen.Int[0, ModbusLimits.AddressSpace - quantity]
        select (function, (ushort)address, quantity);

    [Fact]
    public void Read_requests_round_trip_through_frame_and_request_parser()
    {
        ReadRequests.Sample(r =>
        {
            var pdu = Parse(Encode(d => ModbusPduWriter.WriteReadRequest(d, r.Function, r.Address, r.Quantity)), out var tid, out var unit);
            Assert.Equal(ModbusExceptionCode.None, ModbusRequestPdu.TryParse(pdu, out var request));
            Assert.Equal((r.Function, r.Address, r.Quantity), (request.Function, request.Address, (int)request.Quantity));
            Assert.Equal((0x1234, 17), (tid, unit));
        });
    }

    [Fact]
    public void Write_multiple_registers_requests_round_trip_with_their_values()
    {
        Gen.UShort.Array[1, ModbusLimits.MaxWriteRegisters].Select(Gen.UShort).Sample((values, address) =>
        {
            address = (ushort)Math.Min(address, ModbusLimits.AddressSpace - values.Length);
            var pdu = Parse(Encode(d => ModbusPduWriter.WriteMultipleRegistersRequest(d, address, values)), out _, out _);
            Assert.Equal(ModbusExceptionCode.None, ModbusRequestPdu.TryParse(pdu, out var request));
            Assert.Equal(address, request.Address);
            var decoded = new ushort[request.Quantity];
            for (var i = 0; i < decoded.Length; i++)
            {
                decoded[i] = (ushort)((request.Data[2 * i] << 8) | request.Data[(2 * i) + 1]);
            }

            Assert.Equal(values, decoded);
        });
    }

    [Fact]
    public void Write_multiple_coils_requests_round_trip_with_their_bits()
    {
        Gen.Bool.Array[1, ModbusLimits.MaxWriteBits].Sample(values =>
        {
            var pdu = Parse(Encode(d => ModbusPduWriter.WriteMultipleCoilsRequest(d, 0, values)), out _, out _);
            Assert.Equal(values, DecodeCoils(pdu));
        });
    }

    [Fact]
    public void Register_and_bit_responses_round_trip_through_the_response_reader()
    {
        Gen.UShort.Array[1, ModbusLimits.MaxReadRegisters].Select(Gen.Bool.Array[1, ModbusLimits.MaxReadBits]).Sample((registers, bits) =>
        {
            var pdu = Parse(Encode(d => ModbusPduWriter.WriteRegistersResponse(d, ModbusFunctionCode.ReadInputRegisters, registers)), out _, out _);
            Assert.Equal(ModbusExceptionCode.None, ModbusResponseReader.Validate(pdu, new(ModbusFunctionCode.ReadInputRegisters, 0, (ushort)registers.Length)));
            var read = new ushort[registers.Length];
            ModbusResponseReader.ReadRegisters(pdu, read);
            Assert.Equal(registers, read);

            pdu = Parse(Encode(d => ModbusPduWriter.WriteBitsResponse(d, ModbusFunctionCode.ReadCoils, bits)), out _, out _);
            Assert.Equal(ModbusExceptionCode.None, ModbusResponseReader.Validate(pdu, new(ModbusFunctionCode.ReadCoils, 0, (ushort)bits.Length)));
            var readBits = new bool[bits.Length];
            ModbusResponseReader.ReadBits(pdu, readBits);
            Assert.Equal(bits, readBits);
        });
    }

    [Fact]
    public void An_exception_response_yields_its_code()
    {
        var pdu = Parse(Encode(d => ModbusPduWriter.WriteExceptionResponse(d, 3, ModbusExceptionCode.IllegalDataAddress)), out _, out _);
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, ModbusResponseReader.Validate(pdu, new(ModbusFunctionCode.ReadHoldingRegisters, 0, 1)));
    }

    [Theory]
    [InlineData(new byte[] { 3, 4, 0, 1 }, ModbusProtocolError.TruncatedPdu)]
    [InlineData(new byte[] { 3, 2, 0, 1 }, ModbusProtocolError.ByteCountMismatch)]
    [InlineData(new byte[] { 3, 4, 0, 1, 0, 2, 9 }, ModbusProtocolError.InvalidLength)]
    [InlineData(new byte[] { 4, 4, 0, 1, 0, 2 }, ModbusProtocolError.FunctionMismatch)]
    [InlineData(new byte[] { 3 }, ModbusProtocolError.TruncatedPdu)]
    [InlineData(new byte[] { 0x83 }, ModbusProtocolError.TruncatedPdu)]
    public void A_response_inconsistent_with_its_request_is_rejected_with_the_reason(byte[] pdu, ModbusProtocolError reason)
    {
        var error = Assert.Throws<ModbusProtocolException>(() => ModbusResponseReader.Validate(pdu, new(ModbusFunctionCode.ReadHoldingRegisters, 0, 2)));
        Assert.Equal(reason, error.Error);
    }

    [Fact]
    public void A_write_response_that_does_not_echo_the_request_is_rejected()
    {
        byte[] pdu = [6, 0, 5, 0, 8];
        var error = Assert.Throws<ModbusProtocolException>(() => ModbusResponseReader.Validate(pdu, new(ModbusFunctionCode.WriteSingleRegister, 5, 1, 9)));
        Assert.Equal(ModbusProtocolError.EchoMismatch, error.Error);
    }

    [Theory]
    [InlineData(new byte[] { 3, 0, 0, 0, 0 }, ModbusExceptionCode.IllegalDataValue)]
    [InlineData(new byte[] { 3, 0, 0, 0, 126 }, ModbusExceptionCode.IllegalDataValue)]
    [InlineData(new byte[] { 1, 0, 0, 0x07, 0xD1 }, ModbusExceptionCode.IllegalDataValue)]
    [InlineData(new byte[] { 3, 0xFF, 0xFF, 0, 2 }, ModbusExceptionCode.IllegalDataAddress)]
    [InlineData(new byte[] { 3, 0, 0, 0 }, ModbusExceptionCode.IllegalDataValue)]
    [InlineData(new byte[] { 5, 0, 0, 0x12, 0x34 }, ModbusExceptionCode.IllegalDataValue)]
    [InlineData(new byte[] { 0x10, 0, 0, 0, 124, 248 }, ModbusExceptionCode.IllegalDataValue)]
    [InlineData(new byte[] { 0x10, 0, 0, 0, 1, 4, 0, 1, 0, 2 }, ModbusExceptionCode.IllegalDataValue)]
    [InlineData(new byte[] { 0x0F, 0, 0, 0, 9, 1, 0xFF }, ModbusExceptionCode.IllegalDataValue)]
    [InlineData(new byte[] { 0x2B, 0x0E, 1, 0 }, ModbusExceptionCode.IllegalFunction)]
    [InlineData(new byte[] { 0x83, 0, 0, 0, 1 }, ModbusExceptionCode.IllegalFunction)]
    public void A_request_outside_the_spec_limits_maps_to_the_exception_the_spec_prescribes(byte[] pdu, ModbusExceptionCode expected)
    {
        Assert.Equal(expected, ModbusRequestPdu.TryParse(pdu, out _));
    }

    private static bool[] DecodeCoils(byte[] pdu)
    {
        Assert.Equal(ModbusExceptionCode.None, ModbusRequestPdu.TryParse(pdu, out var request));
        var decoded = new bool[request.Quantity];
        for (var i = 0; i < decoded.Length; i++)
        {
            decoded[i] = (request.Data[i >> 3] & (1 << (i & 7))) != 0;
        }

        return decoded;
    }

    private static byte[] Encode(Func<byte[], int> write)
    {
        var pdu = new byte[ModbusLimits.MaxPduLength];
        var length = write(pdu);
        return ModbusTestFrames.Frame(0x1234, 17, pdu.AsSpan(0, length));
    }

    private static byte[] Parse(byte[] frame, out ushort transactionId, out byte unitId)
    {
        Assert.True(ModbusFrameReader.TryRead(new ReadOnlySequence<byte>(frame), out var read, out var consumed));
        Assert.Equal(frame.Length, (int)new ReadOnlySequence<byte>(frame).Slice(0, consumed).Length);
        transactionId = read.TransactionId;
        unitId = read.UnitId;
        return read.Pdu.ToArray();
    }
}
