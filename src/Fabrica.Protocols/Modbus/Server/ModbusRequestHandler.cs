using System.Buffers.Binary;

namespace Fabrica.Protocols.Modbus;

/// <summary>
/// Executes one request PDU against a data model and writes the response PDU, following the servers' state
/// diagrams of Application Protocol v1.1b3 §6: 01 unknown function, 03 bad quantity or byte count (checked before
/// anything is read or allocated), 02 outside the map, 04 when the data model itself fails.
/// </summary>
public static class ModbusRequestHandler
{
    /// <summary>Returns the length of the response PDU written to <paramref name="response"/> (≥ 253 bytes).</summary>
    public static int Handle(ReadOnlySpan<byte> request, byte unitId, IModbusDataModel model, Span<byte> response)
    {
        ArgumentNullException.ThrowIfNull(model);
        var function = request.IsEmpty ? (byte)0 : request[0];
        var code = ModbusRequestPdu.TryParse(request, out var pdu);
        if (code != ModbusExceptionCode.None)
        {
            return ModbusPduWriter.WriteExceptionResponse(response, function, code);
        }

        var unit = model.GetUnit(unitId);
        if (unit is null)
        {
            return ModbusPduWriter.WriteExceptionResponse(response, function, ModbusExceptionCode.GatewayTargetDeviceFailedToRespond);
        }

        try
        {
            return Execute(pdu, unit, response);
        }
#pragma warning disable CA1031 // A failing data model is the device failing (04), not the connection.
        catch (Exception)
#pragma warning restore CA1031
        {
            return ModbusPduWriter.WriteExceptionResponse(response, function, ModbusExceptionCode.ServerDeviceFailure);
        }
    }

    private static int Execute(in ModbusRequestPdu pdu, IModbusUnit unit, Span<byte> response)
    {
        ModbusExceptionCode code;
        var length = 0;
        switch (pdu.Function)
        {
            case ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs:
            {
                Span<bool> bits = stackalloc bool[pdu.Quantity];
                var table = pdu.Function == ModbusFunctionCode.ReadCoils ? ModbusTable.Coils : ModbusTable.DiscreteInputs;
                code = unit.ReadBits(table, pdu.Address, bits);
                if (code == ModbusExceptionCode.None)
                {
                    length = ModbusPduWriter.WriteBitsResponse(response, pdu.Function, bits);
                }

                break;
            }

            case ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters:
            {
                Span<ushort> registers = stackalloc ushort[pdu.Quantity];
                var table = pdu.Function == ModbusFunctionCode.ReadHoldingRegisters ? ModbusTable.HoldingRegisters : ModbusTable.InputRegisters;
                code = unit.ReadRegisters(table, pdu.Address, registers);
                if (code == ModbusExceptionCode.None)
                {
                    length = ModbusPduWriter.WriteRegistersResponse(response, pdu.Function, registers);
                }

                break;
            }

            case ModbusFunctionCode.WriteSingleCoil:
                code = unit.WriteCoils(pdu.Address, [pdu.Value == 0xFF00]);
                length = ModbusPduWriter.WriteEcho(response, pdu.Function, pdu.Address, pdu.Value);
                break;
            case ModbusFunctionCode.WriteSingleRegister:
                code = unit.WriteRegisters(pdu.Address, [pdu.Value]);
                length = ModbusPduWriter.WriteEcho(response, pdu.Function, pdu.Address, pdu.Value);
                break;
            case ModbusFunctionCode.WriteMultipleCoils:
            {
                Span<bool> bits = stackalloc bool[pdu.Quantity];
                for (var i = 0; i < bits.Length; i++)
                {
                    bits[i] = (pdu.Data[i >> 3] & (1 << (i & 7))) != 0;
                }

                code = unit.WriteCoils(pdu.Address, bits);
                length = ModbusPduWriter.WriteEcho(response, pdu.Function, pdu.Address, pdu.Quantity);
                break;
            }

            case ModbusFunctionCode.WriteMultipleRegisters:
            {
                Span<ushort> registers = stackalloc ushort[pdu.Quantity];
                ReadRegisters(pdu.Data, registers);
                code = unit.WriteRegisters(pdu.Address, registers);
                length = ModbusPduWriter.WriteEcho(response, pdu.Function, pdu.Address, pdu.Quantity);
                break;
            }

            default:
            {
                // §6.17: "The write operation is performed before the read."
                Span<ushort> written = stackalloc ushort[pdu.WriteQuantity];
                ReadRegisters(pdu.Data, written);
                code = unit.WriteRegisters(pdu.WriteAddress, written);
                if (code != ModbusExceptionCode.None)
                {
                    break;
                }

                Span<ushort> read = stackalloc ushort[pdu.Quantity];
                code = unit.ReadRegisters(ModbusTable.HoldingRegisters, pdu.Address, read);
                if (code == ModbusExceptionCode.None)
                {
                    length = ModbusPduWriter.WriteRegistersResponse(response, pdu.Function, read);
                }

                break;
            }
        }

        return code == ModbusExceptionCode.None ? length : ModbusPduWriter.WriteExceptionResponse(response, pdu.FunctionCode, code);
    }

    private static void ReadRegisters(ReadOnlySpan<byte> data, Span<ushort> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadUInt16BigEndian(data[(2 * i)..]);
        }
    }
}
