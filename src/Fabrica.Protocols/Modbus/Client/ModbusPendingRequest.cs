namespace Fabrica.Protocols.Modbus;

/// <summary>
/// One request from send to response. Whoever removes it from the connection's table (the read loop on a
/// response, the caller on timeout, the connection on close) owns its completion and its destination buffer.
/// </summary>
internal sealed class ModbusPendingRequest
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ModbusPendingRequest(byte unitId, ModbusExpectedResponse expected)
    {
        UnitId = unitId;
        Expected = expected;
    }

    public byte UnitId { get; }

    public ModbusExpectedResponse Expected { get; }

    public ushort TransactionId { get; set; }

    /// <summary>Where a read's registers go; empty for writes.</summary>
    public Memory<ushort> Registers { get; init; }

    /// <summary>Where a read's bits go; empty for writes.</summary>
    public Memory<bool> Bits { get; init; }

    /// <summary>Registers written by §6.12 and §6.17.</summary>
    public ReadOnlyMemory<ushort> RegisterValues { get; init; }

    /// <summary>Coils written by §6.11.</summary>
    public ReadOnlyMemory<bool> BitValues { get; init; }

    /// <summary>§6.17: where its write part goes.</summary>
    public ushort WriteAddress { get; init; }

    public Task Completion => _completion.Task;

    /// <summary>Encodes the request PDU; the connection puts the MBAP header in front.</summary>
    public int WritePdu(Span<byte> destination) => Expected.Function switch
    {
        ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs
            or ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters =>
            ModbusPduWriter.WriteReadRequest(destination, Expected.Function, Expected.Address, Expected.Quantity),
        ModbusFunctionCode.WriteSingleCoil => ModbusPduWriter.WriteSingleCoilRequest(destination, Expected.Address, Expected.Value != 0),
        ModbusFunctionCode.WriteSingleRegister => ModbusPduWriter.WriteSingleRegisterRequest(destination, Expected.Address, Expected.Value),
        ModbusFunctionCode.WriteMultipleCoils => ModbusPduWriter.WriteMultipleCoilsRequest(destination, Expected.Address, BitValues.Span),
        ModbusFunctionCode.WriteMultipleRegisters => ModbusPduWriter.WriteMultipleRegistersRequest(destination, Expected.Address, RegisterValues.Span),
        ModbusFunctionCode.ReadWriteMultipleRegisters =>
            ModbusPduWriter.WriteReadWriteRequest(destination, Expected.Address, Expected.Quantity, WriteAddress, RegisterValues.Span),
        _ => throw new InvalidOperationException($"Unsupported function {Expected.Function}."),
    };

    /// <summary>Copies the data of a validated response into the caller's buffer and completes.</summary>
    public void Complete(ReadOnlySpan<byte> pdu)
    {
        if (!Registers.IsEmpty)
        {
            ModbusResponseReader.ReadRegisters(pdu, Registers.Span);
        }
        else if (!Bits.IsEmpty)
        {
            ModbusResponseReader.ReadBits(pdu, Bits.Span);
        }

        _completion.TrySetResult();
    }

    public void Fail(Exception error) => _completion.TrySetException(error);
}
