using Fabrica.Protocols.Modbus;
using Fabrica.Simulator.Machines;

namespace Fabrica.Simulator.Modbus;

/// <summary>
/// Serves one machine through its <see cref="RegisterMap"/>: values are encoded when read, under the machine's lock,
/// so a read never mixes two ticks. Writes go only to writable points: any other address in the range answers 02,
/// a value outside a point's range answers 03 (Application Protocol §7), and nothing of a refused request is applied.
/// </summary>
public sealed class MachineModbusUnit(Machine machine, RegisterMap map) : IModbusUnit
{
    public Machine Machine { get; } = machine;

    public RegisterMap Map { get; } = map;

    public ModbusExceptionCode ReadBits(ModbusTable table, ushort address, Span<bool> destination)
    {
        if (!table.IsBits() || address + destination.Length > Map.Extent(table))
            return ModbusExceptionCode.IllegalDataAddress;
        lock (Machine.Sync)
        {
            for (var i = 0; i < destination.Length; i++)
                destination[i] = Map.At(table, address + i) is { } point && point.Read() != 0;
        }

        return ModbusExceptionCode.None;
    }

    public ModbusExceptionCode ReadRegisters(ModbusTable table, ushort address, Span<ushort> destination)
    {
        if (table.IsBits() || address + destination.Length > Map.Extent(table))
            return ModbusExceptionCode.IllegalDataAddress;
        Span<ushort> words = stackalloc ushort[2];
        lock (Machine.Sync)
        {
            var i = 0;
            while (i < destination.Length)
            {
                if (Map.At(table, address + i) is not { } point)
                {
                    destination[i++] = 0; // reserved
                    continue;
                }

                // A read may start or end inside a 32-bit value: copy only the words it covers.
                point.Encode(words);
                for (var word = address + i - point.Address; word < point.Width && i < destination.Length; word++)
                    destination[i++] = words[word];
            }
        }

        return ModbusExceptionCode.None;
    }

    public ModbusExceptionCode WriteCoils(ushort address, ReadOnlySpan<bool> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (Map.At(ModbusTable.Coils, address + i) is not { Writable: true })
                return ModbusExceptionCode.IllegalDataAddress;
        }

        lock (Machine.Sync)
        {
            for (var i = 0; i < values.Length; i++)
                Map.At(ModbusTable.Coils, address + i)!.Write!(values[i] ? 1 : 0);
        }

        return ModbusExceptionCode.None;
    }

    public ModbusExceptionCode WriteRegisters(ushort address, ReadOnlySpan<ushort> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (Map.At(ModbusTable.HoldingRegisters, address + i) is not { Writable: true, Width: 1 } point)
                return ModbusExceptionCode.IllegalDataAddress;
            if (values[i] < point.Minimum || values[i] > point.Maximum)
                return ModbusExceptionCode.IllegalDataValue;
        }

        lock (Machine.Sync)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var point = Map.At(ModbusTable.HoldingRegisters, address + i)!;
                point.Write!(values[i] * point.Scale);
            }
        }

        return ModbusExceptionCode.None;
    }
}
