using System.Buffers;

namespace Fabrica.Platform.Ingest;

/// <summary>
/// A growable run of samples in an array from <see cref="ArrayPool{T}"/>, so that parsing a message allocates
/// nothing per sample. Not thread-safe. Dispose returns the array; nothing may read <see cref="Samples"/> after.
/// </summary>
public sealed class SampleBatch : IDisposable
{
    private SeriesSample[] _items;
    private int _count;
    private bool _disposed;

    public SampleBatch(int initialCapacity = 64)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        _items = ArrayPool<SeriesSample>.Shared.Rent(initialCapacity);
    }

    public int Count => _count;

    public ReadOnlyMemory<SeriesSample> Samples => _items.AsMemory(0, _count);

    public ReadOnlySpan<SeriesSample> Span => _items.AsSpan(0, _count);

    /// <summary>Forgets the samples (and the strings they hold) but keeps the array.</summary>
    public void Clear() => Truncate(0);

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        var items = _items;
        _items = [];
        _count = 0;
        ArrayPool<SeriesSample>.Shared.Return(items, clearArray: true);
    }

    internal ref SeriesSample this[int index] => ref _items[index];

    internal void Add(in SeriesSample sample)
    {
        if (_count == _items.Length)
            Grow();
        _items[_count++] = sample;
    }

    internal void Truncate(int count)
    {
        if (count < _count)
        {
            Array.Clear(_items, count, _count - count);
            _count = count;
        }
    }

    private void Grow()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var bigger = ArrayPool<SeriesSample>.Shared.Rent(Math.Max(_items.Length * 2, 16));
        Array.Copy(_items, bigger, _count);
        ArrayPool<SeriesSample>.Shared.Return(_items, clearArray: true);
        _items = bigger;
    }
}
