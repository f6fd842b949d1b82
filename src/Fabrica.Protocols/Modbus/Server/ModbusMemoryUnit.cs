namespace Fabrica.Protocols.Modbus;

/// <summary>
/// A unit held in memory: tables of configurable size starting at address 0; anything beyond is out of the map (02).
/// A simulator writes its state with <see cref="Write(ModbusTable, ushort, ReadOnlySpan{ushort})"/> and hears
/// clients' writes through <see cref="WrittenByClient"/>.
/// </summary>
public sealed class ModbusMemoryUnit : IModbusUnit
{
    private readonly Lock _lock = new();
    private readonly bool[] _coils;
    private readonly bool[] _discreteInputs;
    private readonly ushort[] _inputRegisters;
    private readonly ushort[] _holdingRegisters;

    public ModbusMemoryUnit(int coils = 10_000, int discreteInputs = 10_000, int inputRegisters = 10_000, int holdingRegisters = 10_000)
    {
        _coils = new bool[CheckSize(coils)];
        _discreteInputs = new bool[CheckSize(discreteInputs)];
        _inputRegisters = new ushort[CheckSize(inputRegisters)];
        _holdingRegisters = new ushort[CheckSize(holdingRegisters)];
    }

    /// <summary>Raised after a client wrote coils or holding registers: table, first address, count.</summary>
    public event Action<ModbusTable, ushort, int>? WrittenByClient;

    public ModbusExceptionCode ReadBits(ModbusTable table, ushort address, Span<bool> destination)
    {
        var source = table == ModbusTable.Coils ? _coils : table == ModbusTable.DiscreteInputs ? _discreteInputs : null;
        if (source is null || address + destination.Length > source.Length)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        lock (_lock)
        {
            source.AsSpan(address, destination.Length).CopyTo(destination);
        }

        return ModbusExceptionCode.None;
    }

    public ModbusExceptionCode ReadRegisters(ModbusTable table, ushort address, Span<ushort> destination)
    {
        var source = Registers(table);
        if (source is null || address + destination.Length > source.Length)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        lock (_lock)
        {
            source.AsSpan(address, destination.Length).CopyTo(destination);
        }

        return ModbusExceptionCode.None;
    }

    public ModbusExceptionCode WriteCoils(ushort address, ReadOnlySpan<bool> values)
    {
        if (address + values.Length > _coils.Length)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        lock (_lock)
        {
            values.CopyTo(_coils.AsSpan(address));
        }

        WrittenByClient?.Invoke(ModbusTable.Coils, address, values.Length);
        return ModbusExceptionCode.None;
    }

    public ModbusExceptionCode WriteRegisters(ushort address, ReadOnlySpan<ushort> values)
    {
        if (address + values.Length > _holdingRegisters.Length)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        lock (_lock)
        {
            values.CopyTo(_holdingRegisters.AsSpan(address));
        }

        WrittenByClient?.Invoke(ModbusTable.HoldingRegisters, address, values.Length);
        return ModbusExceptionCode.None;
    }

    /// <summary>Sets registers of any register table (input registers are read-only only for clients).</summary>
    public void Write(ModbusTable table, ushort address, ReadOnlySpan<ushort> values)
    {
        var target = Registers(table) ?? throw new ArgumentException($"{table} holds bits.", nameof(table));
        lock (_lock)
        {
            values.CopyTo(target.AsSpan(address));
        }
    }

    /// <summary>Sets bits of coils or discrete inputs.</summary>
    public void Write(ModbusTable table, ushort address, ReadOnlySpan<bool> values)
    {
        var target = table == ModbusTable.Coils ? _coils : table == ModbusTable.DiscreteInputs ? _discreteInputs
            : throw new ArgumentException($"{table} holds registers.", nameof(table));
        lock (_lock)
        {
            values.CopyTo(target.AsSpan(address));
        }
    }

    private ushort[]? Registers(ModbusTable table) =>
        table == ModbusTable.HoldingRegisters ? _holdingRegisters : table == ModbusTable.InputRegisters ? _inputRegisters : null;

    private static int CheckSize(int size) => size is >= 0 and <= ModbusLimits.AddressSpace ? size
        : throw new ArgumentOutOfRangeException(nameof(size), size, "A table has 0 to 65536 addresses.");
}

/// <summary>Units held in memory, keyed by unit identifier.</summary>
public sealed class ModbusMemoryDataModel : IModbusDataModel
{
    private readonly IModbusUnit?[] _units = new IModbusUnit?[256];

    /// <summary>Serves <paramref name="unit"/> under <paramref name="unitId"/> (replacing what was there).</summary>
    public ModbusMemoryDataModel Add(byte unitId, IModbusUnit unit)
    {
        _units[unitId] = unit ?? throw new ArgumentNullException(nameof(unit));
        return this;
    }

    public IModbusUnit? GetUnit(byte unitId) => Volatile.Read(ref _units[unitId]);
}
