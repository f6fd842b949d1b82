using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using System.Threading.Channels;

namespace Fabrica.Server.WebConsole.Live;

/// <summary>
/// Fans stored samples out to live followers: the device event streams (<c>GET /api/v1/devices/{id}/stream</c>) and
/// the console's pages. Ingest calls <see cref="Publish"/> after the durable write; it never waits: each follower has
/// a bounded queue written with <c>TryWrite</c>, and a follower that does not keep up loses samples (counted in
/// <c>fabrica.live.samples_dropped</c>) instead of slowing ingest down. A device nobody follows costs one dictionary
/// lookup per batch run.
/// </summary>
public sealed class LiveSampleFeed : IDisposable
{
    /// <summary>Samples a follower may have waiting before newer ones are dropped.</summary>
    public const int FollowerCapacity = 4096;

    private readonly ConcurrentDictionary<string, ImmutableArray<LiveFollower>> _byDevice = new(StringComparer.Ordinal);
    private readonly Lock _changeLock = new();
    private readonly Meter _meter;
    private readonly Counter<long> _dropped;
    private long _published;

    public LiveSampleFeed(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _dropped = _meter.CreateCounter<long>("fabrica.live.samples_dropped", "{sample}", "Samples a slow live follower (event stream, console page) did not get.");
        _meter.CreateObservableGauge("fabrica.live.followers", () => _byDevice.Values.Sum(f => f.Length), "{follower}", "Open live followers.");
    }

    public const string MeterName = "Fabrica.Live";

    /// <summary>Samples stored since start, for the ingest rate on the overview.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Offers stored samples to their devices' followers. Never blocks, never throws into ingest.</summary>
    public void Publish(ReadOnlySpan<SeriesSample> samples)
    {
        Interlocked.Add(ref _published, samples.Length);
        if (_byDevice.IsEmpty)
            return;
        string? device = null;
        ImmutableArray<LiveFollower> followers = [];
        foreach (var sample in samples)
        {
            if (!string.Equals(device, sample.Series.Device, StringComparison.Ordinal))
            {
                device = sample.Series.Device;
                followers = _byDevice.GetValueOrDefault(device, []);
            }
            foreach (var follower in followers)
            {
                if (!follower.Offer(sample))
                    _dropped.Add(1);
            }
        }
    }

    /// <summary>Follows the samples of <paramref name="devices"/> from now on; dispose the follower to stop.</summary>
    public LiveFollower Follow(IEnumerable<string> devices, int capacity = FollowerCapacity)
    {
        var follower = new LiveFollower(this, [.. devices.Distinct(StringComparer.Ordinal)], capacity);
        lock (_changeLock)
        {
            foreach (var device in follower.Devices)
                _byDevice[device] = _byDevice.GetValueOrDefault(device, []).Add(follower);
        }
        return follower;
    }

    internal void Remove(LiveFollower follower)
    {
        lock (_changeLock)
        {
            foreach (var device in follower.Devices)
            {
                var rest = _byDevice.GetValueOrDefault(device, []).Remove(follower);
                if (rest.IsEmpty)
                    _byDevice.TryRemove(device, out _);
                else
                    _byDevice[device] = rest;
            }
        }
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>One reader of the live feed: a bounded queue of the samples of its devices.</summary>
public sealed class LiveFollower : IDisposable
{
    private readonly LiveSampleFeed _feed;
    private readonly Channel<SeriesSample> _queue;

    internal LiveFollower(LiveSampleFeed feed, IReadOnlyList<string> devices, int capacity)
    {
        _feed = feed;
        Devices = devices;
        _queue = Channel.CreateBounded<SeriesSample>(new BoundedChannelOptions(capacity)
        {
            // Wait mode makes TryWrite answer false when full (DropWrite would answer true), so drops are counted.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public IReadOnlyList<string> Devices { get; }

    public ChannelReader<SeriesSample> Samples => _queue.Reader;

    internal bool Offer(in SeriesSample sample) => _queue.Writer.TryWrite(sample);

    public void Dispose()
    {
        _feed.Remove(this);
        _queue.Writer.TryComplete();
    }
}
