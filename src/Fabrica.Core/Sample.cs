namespace Fabrica;

/// <summary>
/// One measurement of one series: UTC Unix milliseconds, a value and its quality (ARCHITECTURE.md §4).
/// </summary>
public readonly record struct Sample(long Timestamp, SampleValue Value, Quality Quality = Quality.Good);

/// <summary>A sample together with the series it belongs to: the unit of ingest.</summary>
public readonly record struct SeriesSample(SeriesKey Series, Sample Sample);
