using System.Diagnostics.Metrics;
using Fabrica.Edge.Adapters;
using Fabrica.Edge.Buffering;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Pipeline;
using Fabrica.Edge.Uplink;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Edge.Runtime;

/// <summary>What the host gives the runtime: adapter kinds, an optional rules engine, logging, metrics and a clock.</summary>
public sealed record EdgeRuntimeServices
{
    public IReadOnlyList<IDeviceAdapterFactory> Adapters { get; init; } = [];

    /// <summary>Builds the rules engine from the configuration's <c>rules</c>; null runs the shared engine (<c>EdgeRuleEngine</c>).</summary>
    public IEdgeRulesFactory? Rules { get; init; }

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    public IMeterFactory? MeterFactory { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// The edge gateway: one polling loop per device (<see cref="DevicePoller"/>) feeding per-tag pipelines and the edge
/// rules; a commit loop that every <c>buffer.commitInterval</c> writes the reported samples to the store-and-forward
/// buffer, fsyncs them and hands them to the uplink; and the uplink to the platform. <see cref="StartAsync"/>
/// validates adapters and recovers the buffer; <see cref="StopAsync"/> stops polling, commits what was read, and says
/// goodbye to the platform. Whatever the platform has not acknowledged stays in the buffer for the next start.
/// </summary>
public sealed partial class EdgeRuntime : IAsyncDisposable, IEdgeSink, IEdgeActions, IEdgeEvents
{
    private readonly EdgeOptions _options;
    private readonly EdgeRuntimeServices _services;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SampleBatcher _batcher;
    private readonly List<DevicePoller> _pollers = [];
    private readonly Dictionary<string, DevicePoller> _pollersById = new(StringComparer.Ordinal);
    private readonly List<IDeviceAdapter> _adapters = [];
    private readonly List<Task> _loops = [];
    private StoreAndForwardQueue? _queue;
    private EdgeUplink? _uplink;
    private EdgeMetrics? _metrics;
    private IEdgeRules _rules = NoEdgeRules.Instance;
    private CancellationTokenSource? _stopping;
    private volatile string? _lastError;
    private int _stopped;

    public EdgeRuntime(EdgeOptions options, EdgeRuntimeServices? services = null)
    {
        _options = options;
        _services = services ?? new EdgeRuntimeServices();
        _logger = _services.LoggerFactory.CreateLogger("Fabrica.Edge.Runtime.EdgeRuntime");
        _time = _services.Time;
        _batcher = new SampleBatcher(options.Uplink.MaxSamplesPerMessage);
    }

    public string EdgeId => _options.Id;

    /// <summary>What opening the buffer found (after <see cref="StartAsync"/>).</summary>
    public QueueRecovery? BufferRecovery => _queue?.Recovery;

    public LinkState Link => _uplink?.State ?? LinkState.Disconnected;

    /// <summary>
    /// Checks adapter settings, opens (and if need be repairs) the buffer, and starts the device loops, the commit
    /// loop and the uplink. Throws <see cref="EdgeConfigException"/> for an unknown adapter kind or bad settings.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        var factories = _services.Adapters.ToDictionary(f => f.Kind, StringComparer.OrdinalIgnoreCase);
        var errors = new List<EdgeConfigError>();
        for (var i = 0; i < _options.Devices.Count; i++)
        {
            var device = _options.Devices[i];
            if (!factories.TryGetValue(device.Adapter, out var factory))
            {
                var known = factories.Count == 0 ? "none are installed in this build" : "known kinds: " + string.Join(", ", factories.Keys.Order(StringComparer.Ordinal));
                errors.Add(new EdgeConfigError($"$.devices[{i}].adapter", $"no adapter of kind \"{device.Adapter}\" ({known})."));
                continue;
            }
            errors.AddRange(factory.Validate(device, $"$.devices[{i}]"));
        }
        if (errors.Count > 0)
            throw new EdgeConfigException("edge configuration", errors);
        cancellationToken.ThrowIfCancellationRequested();

        var queueLogger = _services.LoggerFactory.CreateLogger("Fabrica.Edge.Buffering.StoreAndForwardQueue");
        _queue = StoreAndForwardQueue.Open(_options.Buffer.Directory, _options.Buffer.MaxBytes, _options.Buffer.SegmentBytes, _time, queueLogger);
        _metrics = new EdgeMetrics(() => _queue.Stats.Bytes, () => _queue.Stats.PendingRecords, () => Link == LinkState.Connected, _services.MeterFactory);
        _queue.Dropped += (_, samples) => _metrics.SamplesDropped(samples, "buffer_full");
        _uplink = new EdgeUplink(_options, _queue, GetStatus, _metrics, _services.LoggerFactory.CreateLogger("Fabrica.Edge.Uplink.EdgeUplink"), _time);
        _uplink.CommandHandler = HandleCommandAsync;
        _uplink.DeviceWriter = this; // Sparkplug NCMD/DCMD writes take the path edge rules use
        _rules = CreateRules();
        ApplySavedPushedConfig();
        _uplink.ConfigReceived += OnConfigReceived;

        var context = new AdapterContext(_time, _services.LoggerFactory);
        var pollerLogger = _services.LoggerFactory.CreateLogger("Fabrica.Edge.Runtime.DevicePoller");
        foreach (var device in _options.Devices)
        {
            var adapter = factories[device.Adapter].Create(device, context);
            _adapters.Add(adapter);
            var poller = new DevicePoller(device, adapter, this, _time, pollerLogger);
            _pollers.Add(poller);
            _pollersById[device.Id] = poller;
        }

        _stopping = new CancellationTokenSource();
        var stop = _stopping.Token;
        foreach (var poller in _pollers)
            _loops.Add(Task.Run(() => IgnoreCancellation(poller.RunAsync(stop)), CancellationToken.None));
        _loops.Add(Task.Run(() => IgnoreCancellation(_uplink.RunAsync(stop)), CancellationToken.None));
        _commitLoop = Task.Run(() => IgnoreCancellation(CommitLoopAsync(stop)), CancellationToken.None);
        Log.Started(_logger, _options.Id, _options.Devices.Count, _options.Devices.Sum(d => d.Tags.Count), _queue.Directory, _queue.Recovery.PendingRecords);
        return Task.CompletedTask;
    }

    /// <summary>The report published on <c>fabrica/edges/{id}/status</c>.</summary>
    public EdgeStatusReport GetStatus() => new(
        _options.Id,
        Online: true,
        UnixTime.Now(_time),
        _rules.Version,
        Link,
        [.. _pollers.Select(p => new DeviceStatus(p.Device.Id, p.State, p.LastError))],
        _queue?.Stats ?? default,
        _uplink?.RejectedSamples ?? 0,
        _lastError ?? _configError ?? _uplink?.LastError);

    /// <summary>Stops polling, commits what was read, says goodbye to the platform and closes the buffer.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1 || _stopping is null)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_commitLoop is not null)
            await _commitLoop.WaitAsync(cancellationToken).ConfigureAwait(false);
        CommitOnce(offerLive: false);
        await _uplink!.SayGoodbyeAsync(cancellationToken).ConfigureAwait(false);
        await _rules.DisposeAsync().ConfigureAwait(false);
        foreach (var adapter in _adapters)
            await adapter.DisposeAsync().ConfigureAwait(false);
        Log.Stopped(_logger, _options.Id, _queue!.Stats.PendingRecords);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (_uplink is not null)
                await _uplink.DisposeAsync().ConfigureAwait(false);
            _queue?.Dispose();
            _metrics?.Dispose();
            _stopping?.Dispose();
        }
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
