using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Fabrica.Storage.Chunks;

/// <summary>
/// Reads what <see cref="BitWriter"/> wrote. Every read is checked against the bits left in the span, so a
/// truncated or corrupted stream ends in <see cref="ChunkFormatException"/> rather than reading past its end.
/// </summary>
internal ref struct BitReader
{
    private readonly ReadOnlySpan<byte> _source;
    private int _position;      // next byte to load into the accumulator
    private ulong _accumulator;
    private int _available;     // valid bits in the accumulator
    private long _bitsLeft;     // bits not yet returned to the caller, accumulator included

    public BitReader(ReadOnlySpan<byte> source)
    {
        _source = source;
        _bitsLeft = (long)source.Length * 8;
    }

    public readonly long BitsLeft => _bitsLeft;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ReadBit() => Read(1) != 0;

    /// <summary>Reads a field of <paramref name="bits"/> (0..64) bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Read(int bits)
    {
        if (bits > _bitsLeft)
        {
            ChunkFormatException.Throw("A bit stream ends early.");
        }

        _bitsLeft -= bits;
        if (bits <= _available)
        {
            ulong fast = bits == 64 ? _accumulator : _accumulator & ((1UL << bits) - 1);
            _accumulator = bits == 64 ? 0 : _accumulator >> bits;
            _available -= bits;
            return fast;
        }

        return ReadAcrossRefill(bits);
    }

    private ulong ReadAcrossRefill(int bits)
    {
        ulong low = _accumulator;
        int have = _available;
        Refill();
        int need = bits - have; // 1..64, and _bitsLeft guaranteed the bytes exist
        ulong high = need == 64 ? _accumulator : _accumulator & ((1UL << need) - 1);
        _accumulator = need == 64 ? 0 : _accumulator >> need;
        _available -= need;
        return have == 0 ? high : low | (high << have);
    }

    private void Refill()
    {
        int remaining = _source.Length - _position;
        if (remaining >= 8)
        {
            _accumulator = BinaryPrimitives.ReadUInt64LittleEndian(_source[_position..]);
            _position += 8;
            _available = 64;
            return;
        }

        Span<byte> tail = stackalloc byte[8];
        tail.Clear();
        _source[_position..].CopyTo(tail);
        _accumulator = BinaryPrimitives.ReadUInt64LittleEndian(tail);
        _position = _source.Length;
        _available = remaining * 8;
    }
}
