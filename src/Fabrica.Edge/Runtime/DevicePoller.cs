using Fabrica.Edge.Adapters;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Pipeline;
using Microsoft.Extensions.Logging;

namespace Fabrica.Edge.Runtime;

/// <summary>
/// The polling loop of one device. Each device has its own loop, so a slow or silent device delays only itself;
/// within a device, tags are grouped by poll period and each group keeps an absolute schedule (period multiples
/// from the start; polls that could not run in time are skipped, not bunched up). A read or connect that fails or
/// exceeds the read timeout marks the group's tags bad and reconnects with back-off (1 s doubling to 30 s) while the
/// schedule goes on.
/// </summary>
internal sealed partial class DevicePoller
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly IDeviceAdapter _adapter;
    private readonly PollGroup[] _groups;
    private readonly Dictionary<string, TagOptions> _tagsByName;
    private readonly IEdgeSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;
    private bool _connected;
    private DateTimeOffset _nextConnect;
    private TimeSpan _backoff = MinBackoff;
    private volatile string? _lastError;
    private volatile bool _faulted;

    public DevicePoller(DeviceOptions device, IDeviceAdapter adapter, IEdgeSink sink, TimeProvider time, ILogger logger)
    {
        Device = device;
        _adapter = adapter;
        _sink = sink;
        _time = time;
        _logger = logger;
        _timeout = device.EffectiveReadTimeout;
        _groups = [.. device.Tags
            .GroupBy(t => t.PollPeriod ?? device.PollPeriod)
            .OrderBy(g => g.Key)
            .Select(g => new PollGroup(g.Key, [.. g], [.. g.Select(t => new TagPipeline(t))]))];
        _tagsByName = device.Tags.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public DeviceOptions Device { get; }

    public DeviceState State => _faulted ? DeviceState.Faulted : _connected && !_subscribing ? DeviceState.Connected : _adapter.State;

    public string? LastError => _lastError ?? _adapter.LastError;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_adapter is ISubscribingDeviceAdapter subscribing)
        {
            await RunSubscribedAsync(subscribing, cancellationToken).ConfigureAwait(false);
            return;
        }
        var start = _time.GetUtcNow();
        foreach (var group in _groups)
            group.Next = start;
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = _groups.Min(g => g.Next);
            var wait = due - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            foreach (var group in _groups)
            {
                if (group.Next > _time.GetUtcNow())
                    continue;
                await PollAsync(group, cancellationToken).ConfigureAwait(false);
                group.Next += group.Period;
                var now = _time.GetUtcNow();
                if (group.Next <= now)
                {
                    var skipped = (long)Math.Ceiling((now - group.Next) / group.Period);
                    skipped = Math.Max(skipped, 1);
                    group.Next += group.Period * skipped;
                    Log.PollOverrun(_logger, Device.Id, group.Period.TotalMilliseconds, skipped);
                }
            }
        }
    }

    /// <summary>Writes a raw value to a tag of this device (edge rules).</summary>
    public ValueTask WriteAsync(string tag, SampleValue value, CancellationToken cancellationToken) =>
        _tagsByName.TryGetValue(tag, out var options)
            ? _adapter.WriteAsync(options, value, cancellationToken)
            : throw new ArgumentException($"device {Device.Id} has no tag {tag} in the configuration", nameof(tag));

    private async Task PollAsync(PollGroup group, CancellationToken cancellationToken)
    {
        if (!_connected && !await TryConnectAsync(cancellationToken).ConfigureAwait(false))
        {
            Deliver(group, null, UnixTime.Now(_time), cancellationToken);
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(_timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await _adapter.ReadAsync(group.Tags, group.Readings, linked.Token).AsTask()
                .WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Fail(e is TimeoutException or OperationCanceledException ? $"no answer within {_timeout.TotalMilliseconds:0} ms" : e.Message);
            _connected = false;
            Deliver(group, null, UnixTime.Now(_time), cancellationToken);
            return;
        }
        if (_faulted)
        {
            _faulted = false;
            _lastError = null;
            _sink.DeviceStateChanged();
        }
        Deliver(group, group.Readings, UnixTime.Now(_time), cancellationToken);
    }

    private async Task<bool> TryConnectAsync(CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() < _nextConnect)
            return false;
        try
        {
            await _adapter.ConnectAsync(cancellationToken).AsTask().WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Fail(e is TimeoutException ? $"cannot connect within {_timeout.TotalMilliseconds:0} ms" : "cannot connect: " + e.Message);
            return false;
        }
        _connected = true;
        _faulted = false;
        _lastError = null;
        _backoff = MinBackoff;
        Log.DeviceConnected(_logger, Device.Id);
        _sink.DeviceStateChanged();
        return true;
    }

    private void Fail(string reason)
    {
        var changed = !_faulted || _lastError != reason;
        _faulted = true;
        _lastError = reason;
        _nextConnect = _time.GetUtcNow() + _backoff;
        if (changed)
        {
            Log.DeviceFailed(_logger, Device.Id, reason, _backoff.TotalSeconds);
            _sink.DeviceStateChanged();
        }
        _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, MaxBackoff.Ticks));
    }

    /// <summary>Runs readings (or, when null, "no reading": bad quality) through the tag pipelines, the rules and the batcher.</summary>
    private void Deliver(PollGroup group, TagReading[]? readings, long timestamp, CancellationToken cancellationToken)
    {
        if (readings is not null)
            _sink.Read(readings.Length);
        for (var i = 0; i < group.Pipelines.Length; i++)
        {
            var pipeline = group.Pipelines[i];
            var sample = pipeline.Condition(readings is null ? TagReading.Bad : readings[i], timestamp);
            _sink.ApplyRules(Device.Id, pipeline.Tag.Name, sample, cancellationToken);
            if (pipeline.ShouldReport(sample))
                _sink.Report(Device.Id, pipeline.Tag.Name, sample);
        }
        if (readings is not null)
            Array.Clear(readings);
    }

    private sealed class PollGroup(TimeSpan period, TagOptions[] tags, TagPipeline[] pipelines)
    {
        public TimeSpan Period { get; } = period;

        public TagOptions[] Tags { get; } = tags;

        public TagPipeline[] Pipelines { get; } = pipelines;

        public TagReading[] Readings { get; } = new TagReading[tags.Length];

        public DateTimeOffset Next { get; set; }
    }
}

/// <summary>Where device loops deliver: the runtime (batcher, rules, metrics, status).</summary>
internal interface IEdgeSink
{
    void Read(int readings);

    void ApplyRules(string deviceId, string tag, Sample sample, CancellationToken cancellationToken);

    void Report(string deviceId, string tag, Sample sample);

    void DeviceStateChanged();
}
