namespace Fabrica.Storage;

/// <summary>
/// Aggregates of one time bucket <c>[Start, Start + interval)</c>. Sum, Min and Max cover numeric samples
/// (bool as 0/1); strings count and have a first and a last but no sum.
/// </summary>
public readonly record struct AggregateBucket(
    long Start, long Count, double Sum, double Min, double Max, Sample First, Sample Last)
{
    public double Average => Count == 0 ? double.NaN : Sum / Count;
}

/// <summary>Which aggregate a query asks for; the engine computes all of them per bucket.</summary>
public enum AggregateKind
{
    Avg,
    Min,
    Max,
    Sum,
    Count,
    First,
    Last,
}

/// <summary>A stored series and what the engine knows of it without reading blocks.</summary>
public sealed record SeriesInfo(SeriesKey Key, ValueKind LastKind, long FirstTimestamp, long LastTimestamp);

/// <summary>Where an aggregate query found its data: raw samples or a roll-up tier.</summary>
public enum AggregateSource
{
    Raw,
    Rollup,
}

public sealed record AggregateResult(IReadOnlyList<AggregateBucket> Buckets, AggregateSource Source, TimeSpan TierResolution);
