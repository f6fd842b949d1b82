using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Fabrica.Storage.Chunks;

/// <summary>
/// Appends bit fields least-significant bit first into a caller-sized span. Bits gather in a 64-bit
/// accumulator that is stored eight bytes at a time, so a field costs a shift and an OR, not a loop over bits.
/// The caller sizes the span from the codec's worst case plus 8 bytes of slack for the last store.
/// </summary>
internal ref struct BitWriter
{
    private readonly Span<byte> _destination;
    private int _position;
    private ulong _accumulator;
    private int _pending; // bits held in the accumulator, 0..63

    public BitWriter(Span<byte> destination)
    {
        _destination = destination;
    }

    /// <summary>Bytes the stream occupies once flushed.</summary>
    public readonly int ByteLength => _position + ((_pending + 7) >> 3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteBit(bool bit) => Write(bit ? 1UL : 0UL, 1);

    /// <summary>Writes the low <paramref name="bits"/> (0..64) of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(ulong value, int bits)
    {
        if (bits == 0)
        {
            return;
        }

        if (bits < 64)
        {
            value &= (1UL << bits) - 1;
        }

        _accumulator |= value << _pending;
        int total = _pending + bits;
        if (total < 64)
        {
            _pending = total;
            return;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(_destination[_position..], _accumulator);
        _position += 8;
        // C# masks shift counts to six bits, so "value >> 64" would return value: treat _pending == 0 apart.
        _accumulator = _pending == 0 ? 0 : value >> (64 - _pending);
        _pending = total - 64;
    }

    /// <summary>Stores the partial accumulator and returns the stream's length in bytes.</summary>
    public int Flush()
    {
        int length = ByteLength;
        Span<byte> tail = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(tail, _accumulator);
        tail[..(length - _position)].CopyTo(_destination[_position..]);
        return length;
    }
}
