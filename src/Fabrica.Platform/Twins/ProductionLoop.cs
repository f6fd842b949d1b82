using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Fabrica.Platform.Alarms;
using Fabrica.Platform.Commands;
using Fabrica.Platform.Ingest;
using Fabrica.Platform.Models;
using Fabrica.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Platform.Twins;

/// <summary>
/// The production loop behind ingest (ARCHITECTURE.md §4: storage → twin state → rules → alarms / commands).
/// <para>
/// <b>Ingest side</b> (<see cref="Observe"/>, called after the durable write): maps each device sample through the
/// model's bindings to asset tags, updates the twins in memory, and offers the sample to a bounded channel with
/// <c>TryWrite</c> — it never waits. When the channel is full the sample is shed: counted
/// (<c>fabrica.models.samples_shed</c>) and logged once a second; the twin is up to date all the same.
/// </para>
/// <para>
/// <b>Worker side</b> (<see cref="RunAsync"/>, one task): computes computed tags, evaluates the rules of each asset's
/// type and of the asset itself (one <see cref="RuleEngine"/> per type and per asset with rules, the engine's "device"
/// being the asset id), stores computed series, and carries out rule actions (alarms, commands, events, set tags).
/// It ticks the engines, shelving expiry and command timeouts every second.
/// </para>
/// </summary>
public sealed partial class ProductionLoop : IRuleActionSink, IDisposable
{
    /// <summary>Asset series (computed and rule-set tags) are stored under this device prefix: <c>asset:{assetId}</c>.</summary>
    public const string SeriesPrefix = "asset:";

    private readonly ModelCatalog _catalog;
    private readonly TwinBoard _twins;
    private readonly AlarmBook _alarms;
    private readonly CommandService _commands;
    private readonly ITelemetrySink _assetSeries;
    private readonly IPlatformEvents _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggers;
    private readonly ProductionLoopOptions _options;
    private readonly Channel<LoopItem> _queue;
    private readonly ConcurrentQueue<RuleActionRequest> _actions = new();
    private readonly Lock _engineLock = new();
    private readonly Meter _meter;
    private readonly Counter<long> _shed;
    private readonly Counter<long> _evaluated;
    private FrozenDictionary<string, RuleEngine> _engines = FrozenDictionary<string, RuleEngine>.Empty;
    private SampleValue[] _buffer = new SampleValue[16];
    private long _shedSinceLog;
    private long _lastShedLog;
    private long _shedTotal;
    private long _nextTickAt;

    public ProductionLoop(
        ModelCatalog catalog, TwinBoard twins, AlarmBook alarms, CommandService commands, ITelemetrySink assetSeries,
        IPlatformEvents? events = null, TimeProvider? time = null, ILoggerFactory? loggers = null, ProductionLoopOptions? options = null,
        IMeterFactory? meterFactory = null)
    {
        _catalog = catalog;
        _twins = twins;
        _alarms = alarms;
        _commands = commands;
        _assetSeries = assetSeries;
        _events = events ?? NoPlatformEvents.Instance;
        _time = time ?? TimeProvider.System;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<ProductionLoop>();
        _options = options ?? new ProductionLoopOptions();
        _queue = Channel.CreateBounded<LoopItem>(new BoundedChannelOptions(_options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _meter = meterFactory?.Create("Fabrica.Models") ?? new Meter("Fabrica.Models");
        _shed = _meter.CreateCounter<long>("fabrica.models.samples_shed", "{sample}", "Samples not evaluated by rules because the rule queue was full");
        _evaluated = _meter.CreateCounter<long>("fabrica.models.samples_evaluated", "{sample}", "Asset samples evaluated by the production loop");
        _meter.CreateObservableGauge("fabrica.models.queue_depth", () => _queue.Reader.Count, "{sample}", "Samples waiting for rule evaluation");
        _catalog.Changed += Follow;
        Follow(_catalog.Current);
    }

    /// <summary>Samples shed since start because the queue was full.</summary>
    public long Shed => Interlocked.Read(ref _shedTotal);

    public int QueueDepth => _queue.Reader.Count;

    /// <summary>
    /// Ingest hook, after the samples are durable: update twins and queue the samples for rules. Never blocks and
    /// never throws into ingest; copies what it keeps (the caller reuses the samples' memory).
    /// </summary>
    public void Observe(ReadOnlySpan<SeriesSample> samples, bool evaluateRules = true)
    {
        var bindings = _catalog.Current.Bindings;
        if (bindings.Count == 0)
            return;
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (ref readonly var sample in samples)
        {
            if (!bindings.TryGetValue(sample.Series, out var bound))
                continue;
            foreach (var tag in bound)
            {
                if (!_twins.GetOrAdd(tag.AssetId).TryUpdate(tag.Tag, sample.Sample, computed: false, now))
                    continue; // older than what the twin holds: late backfill is stored, not acted upon
                if (evaluateRules && !_queue.Writer.TryWrite(new LoopItem(tag.AssetId, tag.Tag, sample.Sample)))
                    CountShed(now);
            }
        }
    }

    /// <summary>The worker: evaluates queued samples and ticks every <see cref="ProductionLoopOptions.TickInterval"/>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var ticker = new PeriodicTimer(_options.TickInterval, _time);
        var ticks = TickForeverAsync(ticker, cancellationToken);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await DrainAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LoopLog.Failed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await ticks.ConfigureAwait(false);
    }

    /// <summary>Evaluates everything queued now (ticking if a tick is due), then carries out the resulting actions.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        var model = _catalog.Current;
        var engines = Volatile.Read(ref _engines);
        var writes = new List<SeriesSample>();
        var tick = false;
        var count = 0;
        while (count < _options.BatchSize && _queue.Reader.TryRead(out var item))
        {
            if (item.AssetId is null)
            {
                tick = true;
                continue;
            }
            Evaluate(item, model, engines, writes);
            count++;
        }
        if (count > 0)
            _evaluated.Add(count);
        // A tick is due by the clock too: under overload the queue may have had no room for the timer's request.
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now >= _nextTickAt)
            tick = true;
        if (tick)
            _nextTickAt = now + (long)_options.TickInterval.TotalMilliseconds;
        if (tick)
        {
            foreach (var engine in engines.Values)
                engine.Tick();
        }
        if (writes.Count > 0)
            await _assetSeries.WriteAsync(writes.ToArray(), cancellationToken).ConfigureAwait(false);
        await ExecuteActionsAsync(model, cancellationToken).ConfigureAwait(false);
        if (tick)
        {
            await _alarms.ExpireShelvesAsync(cancellationToken).ConfigureAwait(false);
            await _commands.ExpireAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asks the worker for a tick (engines' time-driven conditions, shelving expiry, command timeouts).</summary>
    public void RequestTick() => _queue.Writer.TryWrite(LoopItem.Tick);

    private async Task TickForeverAsync(PeriodicTimer ticker, CancellationToken cancellationToken)
    {
        try
        {
            while (await ticker.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                RequestTick();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Evaluate(in LoopItem item, PlantModel model, FrozenDictionary<string, RuleEngine> engines, List<SeriesSample> writes)
    {
        if (!model.Assets.TryGetValue(item.AssetId!, out var asset) || asset.Type is not { } typeId)
            return;
        Process(engines, asset, item.Tag, item.Sample);
        var computed = model.ComputedTags(typeId);
        if (computed.Count == 0)
            return;
        var twin = _twins.GetOrAdd(asset.Id);
        HashSet<string>? changed = null;
        foreach (var tag in computed)
        {
            if (!Reads(tag.Expression.Tags, item.Tag, changed))
                continue;
            var inputs = tag.Expression.Tags;
            if (_buffer.Length < inputs.Count)
                _buffer = new SampleValue[inputs.Count * 2];
            if (!twin.TryRead(inputs, _buffer, out _, out var quality))
                continue;
            var sample = new Sample(item.Sample.Timestamp, tag.Expression.Evaluate(_buffer.AsSpan(0, inputs.Count)), quality);
            // The twin already holds a message's every tag when the worker sees its first: compute once per value, not per input.
            if (twin.Get(tag.Name) is { } current && current.Timestamp == sample.Timestamp && current.Value.Equals(sample.Value) && current.Quality == quality)
                continue;
            if (!twin.TryUpdate(tag.Name, sample, computed: true, 0))
                continue;
            writes.Add(new SeriesSample(new SeriesKey(SeriesPrefix + asset.Id, tag.Name), sample));
            Process(engines, asset, tag.Name, sample);
            (changed ??= new HashSet<string>(StringComparer.Ordinal)).Add(tag.Name);
        }
    }

    private static bool Reads(IReadOnlyList<string> inputs, string tag, HashSet<string>? changed)
    {
        foreach (var input in inputs)
        {
            if (input == tag || changed?.Contains(input) == true)
                return true;
        }
        return false;
    }

    private static void Process(FrozenDictionary<string, RuleEngine> engines, Asset asset, string tag, in Sample sample)
    {
        if (engines.TryGetValue("type:" + asset.Type, out var typeEngine))
            typeEngine.Process(asset.Id, tag, sample);
        if (engines.TryGetValue("asset:" + asset.Id, out var assetEngine))
            assetEngine.Process(asset.Id, tag, sample);
    }

    private void CountShed(long now)
    {
        _shed.Add(1);
        Interlocked.Increment(ref _shedTotal);
        Interlocked.Increment(ref _shedSinceLog);
        var last = Interlocked.Read(ref _lastShedLog);
        if (now - last >= 1000 && Interlocked.CompareExchange(ref _lastShedLog, now, last) == last)
            LoopLog.Shedding(_logger, Interlocked.Exchange(ref _shedSinceLog, 0), _options.QueueCapacity);
    }

    public void Dispose()
    {
        _catalog.Changed -= Follow;
        _queue.Writer.TryComplete();
        _meter.Dispose();
    }
}

/// <summary>A queued asset sample, or (with no asset) a request to tick.</summary>
internal readonly record struct LoopItem(string? AssetId, string Tag, Sample Sample)
{
    public static LoopItem Tick => new(null, "", default);
}

public sealed record ProductionLoopOptions
{
    /// <summary>Samples waiting for rules; beyond it samples are shed (docs/models.md, "Rules in the ingest path").</summary>
    public int QueueCapacity { get; init; } = 65_536;

    /// <summary>Samples evaluated before actions are carried out.</summary>
    public int BatchSize { get; init; } = 4_096;

    /// <summary>How often time-driven conditions, shelving and command timeouts advance.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Rule actions waiting to be carried out; beyond it actions are dropped and logged.</summary>
    public int MaxPendingActions { get; init; } = 10_000;

    /// <summary>Delivers <c>emitEvent</c> actions with a webhook target; without it they are logged (event 7107) and not sent.</summary>
    public Events.WebhookSender? Webhooks { get; init; }
}
