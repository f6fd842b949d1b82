using Fabrica.Edge.Adapters;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Runtime;
using Fabrica.Edge.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Fabrica.Edge.Tests.Runtime;

public sealed class DevicePollerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed class Sink : IEdgeSink
    {
        private readonly Lock _lock = new();
        private readonly List<(string Device, string Tag, Sample Sample)> _reports = [];

        public int StateChanges;

        public List<(string Device, string Tag, Sample Sample)> Reports
        {
            get
            {
                lock (_lock)
                    return [.. _reports];
            }
        }

        public int Count(string device)
        {
            lock (_lock)
                return _reports.Count(r => r.Device == device);
        }

        public void Read(int readings)
        {
        }

        public void ApplyRules(string deviceId, string tag, Sample sample, CancellationToken cancellationToken)
        {
        }

        public void Report(string deviceId, string tag, Sample sample)
        {
            lock (_lock)
                _reports.Add((deviceId, tag, sample));
        }

        public void DeviceStateChanged() => Interlocked.Increment(ref StateChanges);
    }

    private static DeviceOptions Device(string id, TimeSpan period, TimeSpan? timeout = null, params string[] tags) => new()
    {
        Id = id,
        Adapter = "memory",
        PollPeriod = period,
        ReadTimeout = timeout,
        Tags = [.. tags.Select(t => new TagOptions { Name = t, Address = t })],
    };

    [Fact]
    public async Task A_silent_device_does_not_delay_the_others_and_its_tags_turn_bad()
    {
        var time = new FakeTimeProvider(Start);
        var sink = new Sink();
        var healthy = new InMemoryAdapter(_ => new TagReading(SampleValue.FromDouble(1.5)));
        var silent = new InMemoryAdapter(_ => new TagReading(SampleValue.FromDouble(2.5))) { Silent = true };
        var fast = new DevicePoller(Device("fast", TimeSpan.FromMilliseconds(100), null, "a", "b"), healthy, sink, time, NullLogger.Instance);
        var dead = new DevicePoller(Device("dead", TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), "x"), silent, sink, time, NullLogger.Instance);
        using var cts = new CancellationTokenSource();
        var loops = new[] { fast.RunAsync(cts.Token), dead.RunAsync(cts.Token) };

        for (var step = 1; step <= 30; step++)
        {
            await Eventually.TrueAsync(() => sink.Count("fast") == 2 * step, $"poll {step} of the healthy device");
            if (step == 4) // 300 ms: the silent device's read timed out (waited for, so that fake time does not run ahead of it)
                await Eventually.TrueAsync(() => sink.Count("dead") == 1, "the silent device marked bad");
            time.Advance(TimeSpan.FromMilliseconds(100));
        }
        await Eventually.TrueAsync(() => sink.Count("fast") == 62, "the last poll");

        // Every 100 ms on the dot, for both tags, while the other device hung.
        var stamps = sink.Reports.Where(r => r.Device == "fast" && r.Tag == "a").Select(r => r.Sample.Timestamp).ToList();
        Assert.Equal(Enumerable.Range(0, 31).Select(i => Start.ToUnixTimeMilliseconds() + i * 100L), stamps);
        // The silent device: one bad sample when its read timed out at 300 ms, then nothing until the heartbeat.
        var bad = Assert.Single(sink.Reports, r => r.Device == "dead");
        Assert.Equal(Quality.Bad, bad.Sample.Quality);
        Assert.Equal(Start.ToUnixTimeMilliseconds() + 300, bad.Sample.Timestamp);
        Assert.Equal(DeviceState.Faulted, dead.State);
        Assert.Contains("no answer within 300 ms", dead.LastError, StringComparison.Ordinal);
        Assert.Equal(DeviceState.Connected, fast.State);

        // The device answers again: after the back-off the poller reconnects and the tag is good again.
        silent.Silent = false;
        time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.TrueAsync(() => sink.Reports.Any(r => r.Device == "dead" && r.Sample.Quality == Quality.Good), "the device back");
        await cts.CancelAsync();
        await Task.WhenAll(loops).ContinueWith(_ => { }, TaskScheduler.Default);
        Assert.Equal(DeviceState.Connected, dead.State);
    }

    [Fact]
    public async Task Tags_with_different_periods_keep_their_own_schedules()
    {
        var time = new FakeTimeProvider(Start);
        var sink = new Sink();
        var adapter = new InMemoryAdapter(_ => new TagReading(SampleValue.FromLong(1)));
        var device = Device("d", TimeSpan.FromMilliseconds(1000), null, "slow") with
        {
            Tags = [new TagOptions { Name = "slow", Address = "s" }, new TagOptions { Name = "fast", Address = "f", PollPeriod = TimeSpan.FromMilliseconds(250) }],
        };
        var poller = new DevicePoller(device, adapter, sink, time, NullLogger.Instance);
        using var cts = new CancellationTokenSource();
        var loop = poller.RunAsync(cts.Token);
        for (var step = 0; step < 8; step++)
        {
            var expectedFast = step + 1;
            await Eventually.TrueAsync(() => sink.Reports.Count(r => r.Tag == "fast") == expectedFast, $"fast poll {expectedFast}");
            time.Advance(TimeSpan.FromMilliseconds(250));
        }
        await Eventually.TrueAsync(() => sink.Reports.Count(r => r.Tag == "slow") == 3, "slow polls at 0, 1000 and 2000 ms");
        await cts.CancelAsync();
        await loop.ContinueWith(_ => { }, TaskScheduler.Default);
        Assert.Equal([0L, 1000, 2000], sink.Reports.Where(r => r.Tag == "slow").Select(r => r.Sample.Timestamp - Start.ToUnixTimeMilliseconds()));
    }
}
