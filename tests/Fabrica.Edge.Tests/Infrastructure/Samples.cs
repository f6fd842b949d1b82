using Fabrica.Edge.Pipeline;

namespace Fabrica.Edge.Tests.Infrastructure;

public static class Samples
{
    /// <summary>A batch of <paramref name="count"/> samples of tag "counter" with values start, start+1, …</summary>
    public static SampleBatch Counter(string device, long start, int count, long timestamp = 1_764_480_000_000) =>
        new(device, [.. Enumerable.Range(0, count).Select(i => new TagSample("counter", new Sample(timestamp + start + i, SampleValue.FromLong(start + i))))]);

    public static long FirstValue(SampleBatch batch) => batch.Samples[0].Sample.Value.AsLong();
}
