using Fabrica.Edge.Adapters;
using Fabrica.Edge.Configuration;

namespace Fabrica.Edge.Tests.Infrastructure;

/// <summary>
/// A device in memory: each read asks <see cref="Read"/> for a tag's value. <see cref="Silent"/> makes reads hang
/// until cancelled (a device that stopped answering) — the failure a real peer cannot be made to produce on cue.
/// </summary>
public sealed class InMemoryAdapter : IDeviceAdapter
{
    private readonly Lock _lock = new();
    private readonly List<(string Tag, SampleValue Value)> _writes = [];

    public InMemoryAdapter(Func<TagOptions, TagReading> read) => Read = read;

    public Func<TagOptions, TagReading> Read { get; set; }

    public volatile bool Silent;

    public int Reads;

    public DeviceState State { get; private set; }

    public string? LastError => null;

    public IReadOnlyList<(string Tag, SampleValue Value)> Writes
    {
        get
        {
            lock (_lock)
                return [.. _writes];
        }
    }

    public ValueTask ConnectAsync(CancellationToken cancellationToken = default)
    {
        State = DeviceState.Connected;
        return ValueTask.CompletedTask;
    }

    public async ValueTask ReadAsync(IReadOnlyList<TagOptions> tags, Memory<TagReading> readings, CancellationToken cancellationToken = default)
    {
        if (Silent)
            await Task.Delay(Timeout.Infinite, cancellationToken);
        for (var i = 0; i < tags.Count; i++)
            readings.Span[i] = Read(tags[i]);
        Interlocked.Increment(ref Reads);
    }

    public ValueTask WriteAsync(TagOptions tag, SampleValue value, CancellationToken cancellationToken = default)
    {
        lock (_lock)
            _writes.Add((tag.Name, value));
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Kind <c>memory</c>: hands out adapters the test prepared, by device id.</summary>
public sealed class InMemoryAdapterFactory(Func<DeviceOptions, IDeviceAdapter> create) : IDeviceAdapterFactory
{
    public string Kind => "memory";

    public IEnumerable<EdgeConfigError> Validate(DeviceOptions device, string path) => [];

    public IDeviceAdapter Create(DeviceOptions device, AdapterContext context) => create(device);
}

/// <summary>
/// Kind <c>counter</c>: every read of every tag returns the next number of a per-device counter and stamps it with
/// the time of the read; <see cref="OnRead"/> sees each (value, timestamp) — the tick counter of the issue's
/// no-loss test.
/// </summary>
public sealed class CounterAdapterFactory(TimeProvider time, Action<string, long, long>? onRead = null) : IDeviceAdapterFactory
{
    private readonly Dictionary<string, InMemoryAdapter> _adapters = [];

    public string Kind => "counter";

    public Action<string, long, long>? OnRead { get; } = onRead;

    public InMemoryAdapter this[string deviceId] => _adapters[deviceId];

    public IEnumerable<EdgeConfigError> Validate(DeviceOptions device, string path) => [];

    public IDeviceAdapter Create(DeviceOptions device, AdapterContext context)
    {
        var start = device.Settings.ValueKind == System.Text.Json.JsonValueKind.Object && device.Settings.TryGetProperty("start", out var s) ? s.GetInt64() : 0;
        var next = start;
        var adapter = new InMemoryAdapter(_ =>
        {
            var ts = time.GetUtcNow().ToUnixTimeMilliseconds();
            var value = next++;
            OnRead?.Invoke(device.Id, value, ts);
            return new TagReading(SampleValue.FromLong(value), Quality.Good, ts);
        });
        _adapters[device.Id] = adapter;
        return adapter;
    }
}
