namespace Fabrica.Protocols.Modbus;

/// <summary>The public function codes (Application Protocol v1.1b3 §6), one method each.</summary>
public sealed partial class ModbusTcpClient
{
    /// <summary>§6.1: reads destination.Length coils (1 to 2000) starting at <paramref name="address"/>.</summary>
    public ValueTask ReadCoilsAsync(byte unitId, ushort address, Memory<bool> destination, CancellationToken cancellationToken = default) =>
        ReadBitsAsync(ModbusFunctionCode.ReadCoils, unitId, address, destination, cancellationToken);

    /// <summary>§6.2: reads destination.Length discrete inputs (1 to 2000).</summary>
    public ValueTask ReadDiscreteInputsAsync(byte unitId, ushort address, Memory<bool> destination, CancellationToken cancellationToken = default) =>
        ReadBitsAsync(ModbusFunctionCode.ReadDiscreteInputs, unitId, address, destination, cancellationToken);

    /// <summary>§6.3: reads destination.Length holding registers (1 to 125).</summary>
    public ValueTask ReadHoldingRegistersAsync(byte unitId, ushort address, Memory<ushort> destination, CancellationToken cancellationToken = default) =>
        ReadRegistersAsync(ModbusFunctionCode.ReadHoldingRegisters, unitId, address, destination, cancellationToken);

    /// <summary>§6.4: reads destination.Length input registers (1 to 125).</summary>
    public ValueTask ReadInputRegistersAsync(byte unitId, ushort address, Memory<ushort> destination, CancellationToken cancellationToken = default) =>
        ReadRegistersAsync(ModbusFunctionCode.ReadInputRegisters, unitId, address, destination, cancellationToken);

    public async ValueTask<bool[]> ReadCoilsAsync(byte unitId, ushort address, int count, CancellationToken cancellationToken = default)
    {
        var values = new bool[count];
        await ReadCoilsAsync(unitId, address, values, cancellationToken).ConfigureAwait(false);
        return values;
    }

    public async ValueTask<bool[]> ReadDiscreteInputsAsync(byte unitId, ushort address, int count, CancellationToken cancellationToken = default)
    {
        var values = new bool[count];
        await ReadDiscreteInputsAsync(unitId, address, values, cancellationToken).ConfigureAwait(false);
        return values;
    }

    public async ValueTask<ushort[]> ReadHoldingRegistersAsync(byte unitId, ushort address, int count, CancellationToken cancellationToken = default)
    {
        var values = new ushort[count];
        await ReadHoldingRegistersAsync(unitId, address, values, cancellationToken).ConfigureAwait(false);
        return values;
    }

    public async ValueTask<ushort[]> ReadInputRegistersAsync(byte unitId, ushort address, int count, CancellationToken cancellationToken = default)
    {
        var values = new ushort[count];
        await ReadInputRegistersAsync(unitId, address, values, cancellationToken).ConfigureAwait(false);
        return values;
    }

    /// <summary>§6.5.</summary>
    public ValueTask WriteSingleCoilAsync(byte unitId, ushort address, bool value, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new ModbusPendingRequest(unitId, new(ModbusFunctionCode.WriteSingleCoil, address, 1, value ? (ushort)0xFF00 : (ushort)0)), cancellationToken);

    /// <summary>§6.6.</summary>
    public ValueTask WriteSingleRegisterAsync(byte unitId, ushort address, ushort value, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new ModbusPendingRequest(unitId, new(ModbusFunctionCode.WriteSingleRegister, address, 1, value)), cancellationToken);

    /// <summary>§6.11: writes 1 to 1968 coils.</summary>
    public ValueTask WriteMultipleCoilsAsync(byte unitId, ushort address, ReadOnlyMemory<bool> values, CancellationToken cancellationToken = default)
    {
        CheckQuantity(address, values.Length, ModbusLimits.MaxWriteBits);
        return ExecuteAsync(
            new ModbusPendingRequest(unitId, new(ModbusFunctionCode.WriteMultipleCoils, address, (ushort)values.Length)) { BitValues = values },
            cancellationToken);
    }

    /// <summary>§6.12: writes 1 to 123 holding registers.</summary>
    public ValueTask WriteMultipleRegistersAsync(byte unitId, ushort address, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken = default)
    {
        CheckQuantity(address, values.Length, ModbusLimits.MaxWriteRegisters);
        return ExecuteAsync(
            new ModbusPendingRequest(unitId, new(ModbusFunctionCode.WriteMultipleRegisters, address, (ushort)values.Length)) { RegisterValues = values },
            cancellationToken);
    }

    /// <summary>§6.17: writes 1 to 121 registers at <paramref name="writeAddress"/>, then reads destination.Length (1 to 125).</summary>
    public ValueTask ReadWriteMultipleRegistersAsync(
        byte unitId, ushort readAddress, Memory<ushort> destination, ushort writeAddress, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken = default)
    {
        CheckQuantity(readAddress, destination.Length, ModbusLimits.MaxReadRegisters);
        CheckQuantity(writeAddress, values.Length, ModbusLimits.MaxReadWriteWriteRegisters);
        var expected = new ModbusExpectedResponse(ModbusFunctionCode.ReadWriteMultipleRegisters, readAddress, (ushort)destination.Length);
        return ExecuteAsync(
            new ModbusPendingRequest(unitId, expected) { Registers = destination, RegisterValues = values, WriteAddress = writeAddress },
            cancellationToken);
    }

    private ValueTask ReadBitsAsync(ModbusFunctionCode function, byte unitId, ushort address, Memory<bool> destination, CancellationToken cancellationToken)
    {
        CheckQuantity(address, destination.Length, ModbusLimits.MaxReadBits);
        return ExecuteAsync(new ModbusPendingRequest(unitId, new(function, address, (ushort)destination.Length)) { Bits = destination }, cancellationToken);
    }

    private ValueTask ReadRegistersAsync(ModbusFunctionCode function, byte unitId, ushort address, Memory<ushort> destination, CancellationToken cancellationToken)
    {
        CheckQuantity(address, destination.Length, ModbusLimits.MaxReadRegisters);
        return ExecuteAsync(new ModbusPendingRequest(unitId, new(function, address, (ushort)destination.Length)) { Registers = destination }, cancellationToken);
    }

    // Checked before anything is sent: an out-of-range request is the caller's bug, not the device's.
    private static void CheckQuantity(ushort address, int quantity, int max)
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
