using Fabrica.Server.WebConsole;

namespace Fabrica.Server.Tests.WebConsole;

public sealed class TrendQueryTests
{
    [Theory]
    [InlineData(15 * 60, 1)]          // 15 min: 900 one-second buckets
    [InlineData(3600, 2)]              // 1 h: 1,800 two-second buckets
    [InlineData(7 * 86_400, 600)]      // a week: 1,008 ten-minute buckets, not 604,800 samples
    public void The_bucket_is_the_smallest_round_width_that_keeps_a_range_within_the_limit(int rangeSeconds, int expectedSeconds)
    {
        var bucket = TrendQuery.BucketFor(0, rangeSeconds * 1000L);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), bucket);
        Assert.True(rangeSeconds / bucket.TotalSeconds <= TrendQuery.MaxBuckets);
    }
}
