using System.Runtime.CompilerServices;

namespace Fabrica.Storage.Wal;

/// <summary>LEB128 unsigned varints and zigzag signed varints (as in Protocol Buffers' encoding guide).</summary>
internal static class Varint
{
    public const int MaxBytes64 = 10;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Write(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteZigZag(Span<byte> destination, long value) => Write(destination, (ulong)((value << 1) ^ (value >> 63)));

    public static int Size(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long DecodeZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
