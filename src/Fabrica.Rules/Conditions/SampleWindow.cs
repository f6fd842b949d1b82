namespace Fabrica.Rules;

/// <summary>
/// A rolling window of (timestamp, value) pairs in a ring that grows by doubling up to a fixed capacity, with the
/// running mean and variance (Welford's update, also on removal; recomputed exactly every capacity removals so that
/// rounding cannot drift). Allocation happens only while the ring grows.
/// </summary>
internal sealed class SampleWindow(int capacity)
{
    private long[] _timestamps = new long[Math.Min(capacity, 16)];
    private double[] _values = new double[Math.Min(capacity, 16)];
    private int _head;
    private int _removalsSinceRecompute;
    private double _mean;
    private double _m2;

    public int Count { get; private set; }

    public int Capacity { get; } = capacity;

    public double Mean => _mean;

    /// <summary>Sample standard deviation (n − 1); 0 with fewer than two values.</summary>
    public double StandardDeviation => Count > 1 ? Math.Sqrt(Math.Max(_m2, 0) / (Count - 1)) : 0;

    public long OldestTimestamp => _timestamps[_head];

    public double OldestValue => _values[_head];

    public void Add(long timestamp, double value)
    {
        if (Count == Capacity)
            RemoveOldest();
        if (Count == _values.Length)
            Grow();
        var index = (_head + Count) % _values.Length;
        _timestamps[index] = timestamp;
        _values[index] = value;
        Count++;
        var delta = value - _mean;
        _mean += delta / Count;
        _m2 += delta * (value - _mean);
    }

    public void RemoveOldest()
    {
        var value = _values[_head];
        _head = (_head + 1) % _values.Length;
        Count--;
        if (Count == 0)
        {
            _mean = 0;
            _m2 = 0;
            return;
        }
        var delta = value - _mean;
        _mean -= delta / Count;
        _m2 -= delta * (value - _mean);
        if (++_removalsSinceRecompute >= Capacity)
            Recompute();
    }

    /// <summary>Drops values older than <paramref name="cutoff"/>, keeping at least <paramref name="keep"/>.</summary>
    public void RemoveOlderThan(long cutoff, int keep = 0)
    {
        while (Count > keep && _timestamps[_head] < cutoff)
            RemoveOldest();
    }

    private void Recompute()
    {
        _removalsSinceRecompute = 0;
        double mean = 0, m2 = 0;
        for (var i = 0; i < Count; i++)
        {
            var value = _values[(_head + i) % _values.Length];
            var delta = value - mean;
            mean += delta / (i + 1);
            m2 += delta * (value - mean);
        }
        _mean = mean;
        _m2 = m2;
    }

    private void Grow()
    {
        var size = (int)Math.Min((long)_values.Length * 2, Capacity);
        var timestamps = new long[size];
        var values = new double[size];
        for (var i = 0; i < Count; i++)
        {
            timestamps[i] = _timestamps[(_head + i) % _values.Length];
            values[i] = _values[(_head + i) % _values.Length];
        }
        _timestamps = timestamps;
        _values = values;
        _head = 0;
    }
}
