using Fabrica.Storage.Rollups;

namespace Fabrica.Storage.Query;

/// <summary>Epoch-aligned bucket arithmetic that is right for negative timestamps too.</summary>
internal static class Buckets
{
    public static long Floor(long timestamp, long width)
    {
        var remainder = timestamp % width;
        return remainder < 0 ? timestamp - remainder - width : timestamp - remainder;
    }

    public static long Ceiling(long timestamp, long width)
    {
        var floor = Floor(timestamp, width);
        return floor == timestamp ? floor : floor + width;
    }
}

/// <summary>Aggregates a merged stream into epoch-aligned buckets of one width; empty buckets are not emitted.</summary>
internal struct BucketSink : ISampleSink
{
    private readonly long _width;
    private readonly int _limit;
    private long _current;
    private Aggregate _aggregate;

    public BucketSink(long width, List<RollupRecord> output, int limit = int.MaxValue)
    {
        _width = width;
        _limit = limit;
        Output = output;
        _current = long.MinValue;
    }

    public List<RollupRecord> Output { get; }

    public bool Add(in Sample sample)
    {
        var bucket = Buckets.Floor(sample.Timestamp, _width);
        if (bucket != _current)
        {
            Complete();
            if (Output.Count >= _limit)
                return false;
            _current = bucket;
        }
        _aggregate.Add(sample);
        return true;
    }

    /// <summary>Emits the bucket in progress; call once after the merge.</summary>
    public void Complete()
    {
        if (_aggregate.Count > 0 && Output.Count < _limit)
            Output.Add(new RollupRecord(_current, _aggregate));
        _aggregate = default;
    }
}

/// <summary>Aggregates one stream into buckets of several widths at once (all roll-up tiers in one pass).</summary>
internal struct MultiBucketSink : ISampleSink
{
    private readonly BucketSink[] _sinks;

    public MultiBucketSink(IReadOnlyList<long> widths)
    {
        _sinks = new BucketSink[widths.Count];
        for (var i = 0; i < widths.Count; i++)
            _sinks[i] = new BucketSink(widths[i], []);
    }

    public readonly bool Add(in Sample sample)
    {
        for (var i = 0; i < _sinks.Length; i++)
            _sinks[i].Add(sample);
        return true;
    }

    public readonly List<RollupRecord> Complete(int tier)
    {
        _sinks[tier].Complete();
        return _sinks[tier].Output;
    }
}
