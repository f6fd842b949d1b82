namespace Fabrica.Storage.Rollups;

/// <summary>
/// Mergeable aggregate state of one bucket: count, sum, min, max, first and last. Used by both query paths and by
/// the roll-ups in blocks, so the raw path and the roll-up path compute with the same arithmetic.
/// Strings count and have a first and a last; only numeric samples (bool as 0/1) enter sum, min and max.
/// </summary>
internal struct Aggregate
{
    public long Count;
    public double Sum;
    public double Min;
    public double Max;
    public bool HasNumeric;
    public Sample First;
    public Sample Last;

    public readonly bool IsEmpty => Count == 0;

    /// <summary>Adds one sample; samples normally arrive oldest first, but order does not change first/last.</summary>
    public void Add(in Sample sample)
    {
        if (Count == 0 || sample.Timestamp < First.Timestamp)
            First = sample;
        if (Count == 0 || sample.Timestamp >= Last.Timestamp)
            Last = sample;
        Count++;
        if (sample.Value.IsNumeric)
        {
            var v = sample.Value.AsDouble();
            Sum += v;
            if (!HasNumeric)
            {
                Min = v;
                Max = v;
                HasNumeric = true;
            }
            else
            {
                Min = Math.Min(Min, v);
                Max = Math.Max(Max, v);
            }
        }
    }

    /// <summary>Folds in the aggregate of a later (or disjoint) set of samples.</summary>
    public void Combine(in Aggregate other)
    {
        if (other.Count == 0)
            return;
        if (Count == 0)
        {
            this = other;
            return;
        }
        // On equal timestamps the other side wins: callers pass the newer data as other.
        if (other.First.Timestamp <= First.Timestamp)
            First = other.First;
        if (other.Last.Timestamp >= Last.Timestamp)
            Last = other.Last;
        Count += other.Count;
        Sum += other.Sum;
        if (other.HasNumeric)
        {
            Min = HasNumeric ? Math.Min(Min, other.Min) : other.Min;
            Max = HasNumeric ? Math.Max(Max, other.Max) : other.Max;
            HasNumeric = true;
        }
    }

    public readonly AggregateBucket ToBucket(long start) =>
        new(start, Count, Sum, HasNumeric ? Min : double.NaN, HasNumeric ? Max : double.NaN, First, Last);
}

/// <summary>The aggregate of one roll-up bucket <c>[Bucket, Bucket + resolution)</c>.</summary>
internal readonly record struct RollupRecord(long Bucket, Aggregate Aggregate);
