using System.Text.Json;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Pipeline;
using Fabrica.Edge.Rules;
using Fabrica.Edge.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Fabrica.Edge.Tests.Rules;

/// <summary>
/// An edge rules engine on a fake clock with recording devices and uplink: writes and events are what the rules
/// decided. Writes travel through the engine's per-device queues (another thread), so tests wait for them.
/// </summary>
internal sealed class EdgeRuleHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 6, 0, 0, TimeSpan.Zero);

    public EdgeRuleHarness(string rulesJson, EdgeOptions? options = null)
    {
        Options = options ?? DefaultOptions();
        Engine = new EdgeRuleEngine(Json(rulesJson), new EdgeRulesContext(Options, Actions, Events) { Time = Time });
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public EdgeOptions Options { get; }

    public RecordingActions Actions { get; } = new();

    public RecordingEvents Events { get; } = new();

    public EdgeRuleEngine Engine { get; }

    /// <summary>Two presses with a pressure sensor, a temperature, a relief valve coil and a speed set-point; a meter without them.</summary>
    public static EdgeOptions DefaultOptions() => new()
    {
        Id = "line1-edge",
        Devices =
        [
            Device("press-1", "pressure", "temperature", "relief", "speed"),
            Device("press-2", "pressure", "temperature", "relief", "speed"),
            Device("meter-1", "power"),
        ],
    };

    public static DeviceOptions Device(string id, params string[] tags) => new()
    {
        Id = id,
        Adapter = "memory",
        Tags = [.. tags.Select(t => new TagOptions { Name = t, Address = t })],
    };

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>Feeds one reading stamped with the fake clock's time, then moves the clock on.</summary>
    public void Read(string device, string tag, double value, TimeSpan? then = null)
    {
        Engine.OnSampleAsync(device, tag, new Sample(Time.GetUtcNow().ToUnixTimeMilliseconds(), SampleValue.FromDouble(value))).AsTask().Wait();
        if (then is { } step)
            Time.Advance(step);
    }

    public Task WritesAsync(int count) => Eventually.TrueAsync(() => Actions.Writes.Count >= count, $"{count} device writes");

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}

internal sealed class RecordingActions : IEdgeActions
{
    private readonly Lock _lock = new();
    private readonly List<(string Device, string Tag, SampleValue Value)> _writes = [];

    public IReadOnlyList<(string Device, string Tag, SampleValue Value)> Writes
    {
        get
        {
            lock (_lock)
                return [.. _writes];
        }
    }

    public Func<string, string, Exception?> Fail { get; set; } = (_, _) => null;

    public ValueTask WriteTagAsync(string deviceId, string tag, SampleValue value, CancellationToken cancellationToken = default)
    {
        if (Fail(deviceId, tag) is { } failure)
            throw failure;
        lock (_lock)
            _writes.Add((deviceId, tag, value));
        return ValueTask.CompletedTask;
    }
}

internal sealed class RecordingEvents : IEdgeEvents
{
    private readonly Lock _lock = new();
    private readonly List<(string Topic, JsonElement Payload)> _events = [];

    public IReadOnlyList<(string Topic, JsonElement Payload)> Published
    {
        get
        {
            lock (_lock)
                return [.. _events];
        }
    }

    public bool Publish(string topic, ReadOnlyMemory<byte> payload)
    {
        lock (_lock)
            _events.Add((topic, JsonDocument.Parse(payload).RootElement.Clone()));
        return true;
    }
}
