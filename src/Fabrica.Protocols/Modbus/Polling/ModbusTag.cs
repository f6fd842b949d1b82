namespace Fabrica.Protocols.Modbus;

/// <summary>
/// One value to poll: where it lives and how it is laid out. Tags in <see cref="ModbusTable.Coils"/> or
/// <see cref="ModbusTable.DiscreteInputs"/> are <see cref="ModbusDataType.Bool"/>.
/// </summary>
/// <param name="StringRegisters">Length of a <see cref="ModbusDataType.String"/> tag, in registers.</param>
public sealed record ModbusTag(
    byte UnitId,
    ModbusTable Table,
    ushort Address,
    ModbusDataType Type,
    ModbusByteOrder ByteOrder = ModbusByteOrder.ABCD,
    int StringRegisters = 0)
{
    /// <summary>Addresses the tag spans: bits for bit tables, registers otherwise.</summary>
    public int Width => Table.IsBits() ? 1 : ModbusValueCodec.RegisterCount(Type, StringRegisters);
}

/// <summary>The value read for a tag, or why there is none (<see cref="Quality.Bad"/> with <see cref="Error"/>).</summary>
public readonly record struct ModbusTagReading(SampleValue Value, Quality Quality, Exception? Error)
{
    public static ModbusTagReading Good(SampleValue value) => new(value, Quality.Good, null);

    public static ModbusTagReading Bad(Exception error) => new(default, Quality.Bad, error);
}

/// <summary>How far the planner may stretch one request.</summary>
public sealed record ModbusReadPlannerOptions
{
    /// <summary>Unused addresses one request may read across to join two tags (0 = only adjacent or overlapping tags).
    /// A gap may hit addresses outside the device's map (exception 02), so it is opt-in.</summary>
    public int MaxGap { get; init; }

    /// <summary>At most <see cref="ModbusLimits.MaxReadRegisters"/>; lower it for devices with smaller buffers.</summary>
    public int MaxRegistersPerRequest { get; init; } = ModbusLimits.MaxReadRegisters;

    /// <summary>At most <see cref="ModbusLimits.MaxReadBits"/>.</summary>
    public int MaxBitsPerRequest { get; init; } = ModbusLimits.MaxReadBits;
}

/// <summary>One read request of a plan and the tags it serves (indexes into the planned tag list).</summary>
public sealed record ModbusPlannedRead(byte UnitId, ModbusTable Table, ushort Address, int Count, IReadOnlyList<int> TagIndexes);
