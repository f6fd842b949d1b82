using Fabrica.Protocols.Modbus;

namespace Fabrica.Simulator.Modbus;

/// <summary>
/// One documented value of a machine's Modbus map. Engineering value = raw × <see cref="Scale"/>; 32-bit values
/// take two registers, most significant word first (<see cref="ModbusByteOrder.ABCD"/>). Writable points are
/// single registers or coils, so one Write Single Register (06) or Write Single Coil (05) sets them.
/// </summary>
public sealed record RegisterPoint(
    ModbusTable Table,
    ushort Address,
    string Name,
    ModbusDataType Type,
    string Unit,
    string Description,
    Func<double> Read)
{
    public const ModbusByteOrder WordOrder = ModbusByteOrder.ABCD;

    public double Scale { get; init; } = 1;

    /// <summary>Applies a client's write (engineering value); null for read-only points.</summary>
    public Action<double>? Write { get; init; }

    /// <summary>Lowest raw value a client may write; below it the write is refused with exception 03.</summary>
    public double Minimum { get; init; }

    /// <summary>Highest raw value a client may write.</summary>
    public double Maximum { get; init; } = ushort.MaxValue;

    /// <summary>A momentary command: reads 1 from the write until the tick that carries it out.</summary>
    public bool Momentary { get; init; }

    public bool Writable => Write is not null;

    /// <summary>Registers (or bits) the point takes.</summary>
    public int Width => Type is ModbusDataType.Float32 or ModbusDataType.UInt32 or ModbusDataType.Int32 ? 2 : 1;

    /// <summary>Writes the point's current value into <paramref name="destination"/> (<see cref="Width"/> registers).</summary>
    public void Encode(Span<ushort> destination)
    {
        var value = Read();
        switch (Type)
        {
            case ModbusDataType.Float32:
                ModbusValueCodec.WriteSingle(destination, (float)(value / Scale), WordOrder);
                break;
            case ModbusDataType.UInt32:
                ModbusValueCodec.WriteInt32(destination, (int)(uint)Math.Clamp(Math.Floor(value / Scale), 0, uint.MaxValue), WordOrder);
                break;
            case ModbusDataType.Int32:
                ModbusValueCodec.WriteInt32(destination, (int)Math.Clamp(Math.Round(value / Scale), int.MinValue, int.MaxValue), WordOrder);
                break;
            case ModbusDataType.Int16:
                destination[0] = (ushort)(short)Math.Clamp(Math.Round(value / Scale), short.MinValue, short.MaxValue);
                break;
            default:
                destination[0] = (ushort)Math.Clamp(Math.Round(value / Scale), 0, ushort.MaxValue);
                break;
        }
    }
}
