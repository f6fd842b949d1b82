using System.Buffers.Binary;

namespace Fabrica.Protocols.Modbus;

/// <summary>
/// Converts between registers and typed values for every <see cref="ModbusDataType"/> and <see cref="ModbusByteOrder"/>.
/// Numbers never allocate; a 64-bit value is assembled from up to four registers in one pass.
/// </summary>
public static class ModbusValueCodec
{
    /// <summary>Registers a value occupies; strings take <paramref name="stringRegisters"/>.</summary>
    public static int RegisterCount(ModbusDataType type, int stringRegisters = 0) => type switch
    {
        ModbusDataType.Bool or ModbusDataType.Int16 or ModbusDataType.UInt16 => 1,
        ModbusDataType.Int32 or ModbusDataType.UInt32 or ModbusDataType.Float32 => 2,
        ModbusDataType.Int64 or ModbusDataType.Float64 => 4,
        ModbusDataType.String => stringRegisters > 0 ? stringRegisters
            : throw new ArgumentOutOfRangeException(nameof(stringRegisters), "A string tag needs its length in registers."),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Decodes a value from the first registers of <paramref name="registers"/> (all of them for a string).</summary>
    public static SampleValue Decode(ReadOnlySpan<ushort> registers, ModbusDataType type, ModbusByteOrder order) => type switch
    {
        ModbusDataType.Bool => SampleValue.FromBool(registers[0] != 0),
        ModbusDataType.Int16 => SampleValue.FromLong((short)ReadBits(registers[..1], order)),
        ModbusDataType.UInt16 => SampleValue.FromLong((ushort)ReadBits(registers[..1], order)),
        ModbusDataType.Int32 => SampleValue.FromLong(ReadInt32(registers, order)),
        ModbusDataType.UInt32 => SampleValue.FromLong(ReadUInt32(registers, order)),
        ModbusDataType.Int64 => SampleValue.FromLong(ReadInt64(registers, order)),
        ModbusDataType.Float32 => SampleValue.FromDouble(ReadSingle(registers, order)),
        ModbusDataType.Float64 => SampleValue.FromDouble(ReadDouble(registers, order)),
        ModbusDataType.String => SampleValue.FromString(ReadString(registers, order)),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Encodes a value into the first registers of <paramref name="destination"/> (all of them for a string).</summary>
    public static void Encode(SampleValue value, ModbusDataType type, ModbusByteOrder order, Span<ushort> destination)
    {
        switch (type)
        {
            case ModbusDataType.Bool:
                destination[0] = value.AsBool() ? (ushort)1 : (ushort)0;
                break;
            case ModbusDataType.Int16:
                WriteBits(destination[..1], (ushort)checked((short)value.AsLong()), order);
                break;
            case ModbusDataType.UInt16:
                WriteBits(destination[..1], checked((ushort)value.AsLong()), order);
                break;
            case ModbusDataType.Int32:
                WriteInt32(destination, checked((int)value.AsLong()), order);
                break;
            case ModbusDataType.UInt32:
                WriteBits(destination[..2], checked((uint)value.AsLong()), order);
                break;
            case ModbusDataType.Int64:
                WriteInt64(destination, value.AsLong(), order);
                break;
            case ModbusDataType.Float32:
                WriteSingle(destination, (float)value.AsDouble(), order);
                break;
            case ModbusDataType.Float64:
                WriteDouble(destination, value.AsDouble(), order);
                break;
            case ModbusDataType.String:
                WriteString(destination, value.AsString(), order);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    public static int ReadInt32(ReadOnlySpan<ushort> registers, ModbusByteOrder order) => (int)ReadBits(registers[..2], order);

    public static uint ReadUInt32(ReadOnlySpan<ushort> registers, ModbusByteOrder order) => (uint)ReadBits(registers[..2], order);

    public static long ReadInt64(ReadOnlySpan<ushort> registers, ModbusByteOrder order) => (long)ReadBits(registers[..4], order);

    public static float ReadSingle(ReadOnlySpan<ushort> registers, ModbusByteOrder order) => BitConverter.UInt32BitsToSingle((uint)ReadBits(registers[..2], order));

    public static double ReadDouble(ReadOnlySpan<ushort> registers, ModbusByteOrder order) => BitConverter.UInt64BitsToDouble(ReadBits(registers[..4], order));

    public static void WriteInt32(Span<ushort> destination, int value, ModbusByteOrder order) => WriteBits(destination[..2], (uint)value, order);

    public static void WriteInt64(Span<ushort> destination, long value, ModbusByteOrder order) => WriteBits(destination[..4], (ulong)value, order);

    public static void WriteSingle(Span<ushort> destination, float value, ModbusByteOrder order) => WriteBits(destination[..2], BitConverter.SingleToUInt32Bits(value), order);

    public static void WriteDouble(Span<ushort> destination, double value, ModbusByteOrder order) => WriteBits(destination[..4], BitConverter.DoubleToUInt64Bits(value), order);

    /// <summary>
    /// Characters in register order, two per register (first character in the high byte unless the order swaps
    /// bytes); word order does not apply to text. Stops at the first NUL; bytes are Latin-1.
    /// </summary>
    public static string ReadString(ReadOnlySpan<ushort> registers, ModbusByteOrder order)
    {
        Span<char> chars = registers.Length <= 128 ? stackalloc char[registers.Length * 2] : new char[registers.Length * 2];
        var length = 0;
        foreach (var register in registers)
        {
            var r = SwapsBytes(order) ? BinaryPrimitives.ReverseEndianness(register) : register;
            if ((r >> 8) == 0)
            {
                break;
            }

            chars[length++] = (char)(r >> 8);
            if ((r & 0xFF) == 0)
            {
                break;
            }

            chars[length++] = (char)(r & 0xFF);
        }

        return new string(chars[..length]);
    }

    /// <summary>Writes <paramref name="text"/> NUL-padded to the whole of <paramref name="destination"/>.</summary>
    public static void WriteString(Span<ushort> destination, string text, ModbusByteOrder order)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > destination.Length * 2)
        {
            throw new ArgumentException($"'{text}' needs more than {destination.Length} registers.", nameof(text));
        }

        for (var i = 0; i < destination.Length; i++)
        {
            var high = 2 * i < text.Length ? Latin1(text[2 * i]) : 0;
            var low = (2 * i) + 1 < text.Length ? Latin1(text[(2 * i) + 1]) : 0;
            var r = (ushort)((high << 8) | low);
            destination[i] = SwapsBytes(order) ? BinaryPrimitives.ReverseEndianness(r) : r;
        }
    }

    /// <summary>
    /// The value's big-endian bits from registers.Length registers: CDAB and DCBA put the least significant
    /// register first, BADC and DCBA swap the two bytes inside each register.
    /// </summary>
    private static ulong ReadBits(ReadOnlySpan<ushort> registers, ModbusByteOrder order)
    {
        var lowWordFirst = order is ModbusByteOrder.CDAB or ModbusByteOrder.DCBA;
        var swap = SwapsBytes(order);
        ulong bits = 0;
        var n = registers.Length;
        for (var i = 0; i < n; i++)
        {
            var r = registers[lowWordFirst ? n - 1 - i : i];
            bits = (bits << 16) | (swap ? BinaryPrimitives.ReverseEndianness(r) : r);
        }

        return bits;
    }

    private static void WriteBits(Span<ushort> destination, ulong bits, ModbusByteOrder order)
    {
        var lowWordFirst = order is ModbusByteOrder.CDAB or ModbusByteOrder.DCBA;
        var swap = SwapsBytes(order);
        var n = destination.Length;
        for (var i = n - 1; i >= 0; i--)
        {
            var r = (ushort)bits;
            destination[lowWordFirst ? n - 1 - i : i] = swap ? BinaryPrimitives.ReverseEndianness(r) : r;
            bits >>= 16;
        }
    }

    private static bool SwapsBytes(ModbusByteOrder order) => order is ModbusByteOrder.BADC or ModbusByteOrder.DCBA;

    private static int Latin1(char c) => c <= 0xFF && c != 0 ? c
        : throw new ArgumentException($"Character U+{(int)c:X4} does not fit a Modbus string (Latin-1, no NUL).", nameof(c));
}
