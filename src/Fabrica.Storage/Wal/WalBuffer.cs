using System.Buffers;

namespace Fabrica.Storage.Wal;

/// <summary>A growable byte buffer on <see cref="ArrayPool{T}"/>; one per encoder, reused for every commit.</summary>
internal sealed class WalBuffer(int initialCapacity) : IDisposable
{
    private byte[] _array = ArrayPool<byte>.Shared.Rent(initialCapacity);
    private readonly int _initialCapacity = initialCapacity;

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, Length);

    public Span<byte> WrittenSpanMutable => _array.AsSpan(0, Length);

    public Span<byte> GetSpan(int sizeHint)
    {
        if (_array.Length - Length < sizeHint)
            Grow(sizeHint);
        return _array.AsSpan(Length);
    }

    public void Advance(int count) => Length += count;

    /// <summary>Forgets the content; an array grown far past the initial size goes back to the pool.</summary>
    public void Clear()
    {
        Length = 0;
        if (_array.Length > 16 * Math.Max(_initialCapacity, 64 * 1024))
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = ArrayPool<byte>.Shared.Rent(_initialCapacity);
        }
    }

    /// <summary>Drops everything written after <paramref name="length"/>.</summary>
    public void Truncate(int length) => Length = length;

    private void Grow(int sizeHint)
    {
        var size = (int)Math.Min(Array.MaxLength, Math.Max((long)_array.Length * 2, (long)Length + sizeHint));
        var next = ArrayPool<byte>.Shared.Rent(size);
        _array.AsSpan(0, Length).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_array);
        _array = next;
    }

    public void Dispose()
    {
        var array = _array;
        _array = [];
        if (array.Length > 0)
            ArrayPool<byte>.Shared.Return(array);
    }
}
