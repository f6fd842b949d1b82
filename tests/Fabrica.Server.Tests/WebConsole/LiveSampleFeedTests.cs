using System.Diagnostics.Metrics;
using Fabrica.Server.WebConsole.Live;
using Microsoft.Extensions.DependencyInjection;

namespace Fabrica.Server.Tests.WebConsole;

public sealed class LiveSampleFeedTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly LiveSampleFeed _feed;

    public LiveSampleFeedTests() => _feed = new LiveSampleFeed(_services.GetRequiredService<IMeterFactory>());

    private static SeriesSample At(string device, long ts, double value) => new(new SeriesKey(device, "t"), new Sample(ts, value));

    [Fact]
    public void A_follower_gets_only_its_devices_samples_in_order()
    {
        using var follower = _feed.Follow(["a"]);
        _feed.Publish([At("a", 1, 1), At("b", 2, 2), At("a", 3, 3)]);
        Assert.True(follower.Samples.TryRead(out var first));
        Assert.True(follower.Samples.TryRead(out var second));
        Assert.False(follower.Samples.TryRead(out _));
        Assert.Equal((1L, 3L), (first.Sample.Timestamp, second.Sample.Timestamp));
        Assert.Equal(3, _feed.Published);
    }

    [Fact]
    public void A_follower_that_does_not_read_loses_samples_beyond_its_capacity_and_publishing_never_waits_for_it()
    {
        long dropped = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == LiveSampleFeed.MeterName && instrument.Name == "fabrica.live.samples_dropped")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref dropped, value));
        listener.Start();
        using var slow = _feed.Follow(["a"], capacity: 4);
        var batch = Enumerable.Range(0, 10).Select(i => At("a", i, i)).ToArray();
        _feed.Publish(batch); // returns at once: a full queue is a drop, not a wait
        Assert.Equal(4, slow.Samples.Count);
        Assert.Equal(6, Interlocked.Read(ref dropped));
        Assert.True(slow.Samples.TryRead(out var oldest));
        Assert.Equal(0, oldest.Sample.Timestamp);
    }

    [Fact]
    public void A_disposed_follower_gets_nothing_more_and_its_reader_completes()
    {
        var follower = _feed.Follow(["a", "b"]);
        follower.Dispose();
        _feed.Publish([At("a", 1, 1)]);
        Assert.False(follower.Samples.TryRead(out _));
        Assert.True(follower.Samples.Completion.IsCompleted);
    }

    public void Dispose()
    {
        _feed.Dispose();
        _services.Dispose();
    }
}
