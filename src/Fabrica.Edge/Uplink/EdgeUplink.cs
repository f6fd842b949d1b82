using System.Text.Json;
using System.Threading.Channels;
using Fabrica.Edge.Buffering;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Pipeline;
using Fabrica.Edge.Runtime;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Fabrica.Edge.Uplink;

/// <summary>
/// The MQTT connection to the platform (MQTT 5, QoS 1). Connects with back-off and, per connection ("session"),
/// runs three loops: <b>live</b> sends records the commit loop hands over (<see cref="OfferLive"/>) to
/// <c>…/telemetry</c>; <b>backfill</b> reads the buffer's backlog in order and sends it to <c>…/telemetry/backfill</c>
/// at the configured rate; <b>status</b> publishes the retained status report. A record is acknowledged in the buffer
/// only when its PUBACK arrives; when the connection breaks, unacknowledged records are released and the next
/// session's backfill sends them.
/// </summary>
internal sealed partial class EdgeUplink : IAsyncDisposable
{
    /// <summary>Live records handed over but not yet acknowledged, per session; beyond it records wait for the backfill.</summary>
    public const int LiveWindow = 256;

    private readonly EdgeOptions _options;
    private readonly StoreAndForwardQueue _queue;
    private readonly Func<EdgeStatusReport> _status;
    private readonly EdgeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private IMqttClient _client;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _backlogSignal = new(0, 1);
    private readonly SemaphoreSlim _statusSignal = new(0, 1);
    private Session? _session;
    private volatile LinkState _state;
    private volatile string? _lastError;
    private volatile string? _configVersion;
    private long _rejectedSamples;

    public EdgeUplink(EdgeOptions options, StoreAndForwardQueue queue, Func<EdgeStatusReport> status, EdgeMetrics metrics, ILogger logger, TimeProvider time)
    {
        _options = options;
        _queue = queue;
        _status = status;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        _client = CreateClient();
    }

    /// <summary>
    /// A fresh MQTTnet client per connection attempt: nothing of a broken connection (packet identifiers, pending
    /// acknowledgements) can leak into the next one. Reusing one client, a publish after a reconnect was seen to
    /// wait for a PUBACK that had been matched to a publish of the dead connection.
    /// </summary>
    private IMqttClient CreateClient()
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
        client.DisconnectedAsync += e =>
        {
            lock (_lock)
            {
                if (ReferenceEquals(client, _client))
                    _session?.Lost.TrySetResult();
            }
            return Task.CompletedTask;
        };
        return client;
    }

    public LinkState State => _state;

    public string? LastError => _lastError;

    /// <summary>The <c>version</c> of the last configuration received on <c>fabrica/edges/{id}/config</c>.</summary>
    public string? ConfigVersion => _configVersion;

    public long RejectedSamples => Interlocked.Read(ref _rejectedSamples);

    /// <summary>Raised with each configuration document received (already logged and its version recorded).</summary>
    public event Action<JsonElement>? ConfigReceived;

    /// <summary>
    /// Offers a just-committed record to the live path. False when there is no connection or the live window is full;
    /// the record then stays in the buffer for the backfill, which this call wakes up.
    /// </summary>
    public bool OfferLive(long seq, SampleBatch batch)
    {
        lock (_lock)
        {
            var session = _session;
            if (session is not null && !session.Closed && session.LiveCount < LiveWindow && _queue.TryClaim(seq))
            {
                session.LiveCount++;
                session.Live.Writer.TryWrite(new LiveRecord(seq, batch));
                return true;
            }
        }
        NotifyBacklog();
        return false;
    }

    /// <summary>Asks for a status report now (e.g. a device changed state).</summary>
    public void NotifyStatusChanged()
    {
        Signal(_statusSignal);
        Signal(_sparkplugDeviceSignal);
    }

    private void NotifyBacklog() => Signal(_backlogSignal);

    private static void Signal(SemaphoreSlim signal)
    {
        try
        {
            if (signal.CurrentCount == 0)
                signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>Connects, runs sessions and reconnects with back-off until <paramref name="cancellationToken"/> ends it.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = _options.Uplink.ReconnectMin;
        while (!cancellationToken.IsCancellationRequested)
        {
            _state = LinkState.Connecting;
            try
            {
                await ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                _state = LinkState.Disconnected;
                _lastError = $"cannot connect to {_options.Platform.Host}:{_options.Platform.Port}: {e.Message}";
                Log.ConnectFailed(_logger, _options.Platform.Host, _options.Platform.Port, e.Message, delay.TotalSeconds);
                await DelayAsync(Jitter(delay), cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.Uplink.ReconnectMax.Ticks));
                continue;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping while a connect is under way: MQTTnet may surface the abort as a socket error, not a cancellation.
                break;
            }
            delay = _options.Uplink.ReconnectMin;
            _state = LinkState.Connected;
            _lastError = null;
            Log.Connected(_logger, _options.Platform.Host, _options.Platform.Port);
            var reason = await RunSessionAsync(cancellationToken).ConfigureAwait(false);
            _state = LinkState.Disconnected;
            if (cancellationToken.IsCancellationRequested)
                break;
            _lastError = reason;
            Log.ConnectionLost(_logger, reason);
            await DelayAsync(Jitter(delay), cancellationToken).ConfigureAwait(false);
        }
        _state = LinkState.Disconnected;
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var platform = _options.Platform;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(platform.Host, platform.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("fabrica-edge-" + _options.Id)
            .WithCredentials(_options.Id, _options.Token)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(EdgeTopics.Status(_options.Id))
            .WithWillPayload(EdgeStatusReport.OfflineWill(_options.Id))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        builder = PlatformTls.Apply(WithSparkplugWill(builder), platform, _logger);
        var old = _client;
        lock (_lock)
            _client = CreateClient();
        old.Dispose();
        var result = await _client.ConnectAsync(builder.Build(), cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
            throw new InvalidOperationException($"the platform refused the connection ({result.ResultCode}{(result.ReasonString is null ? "" : ": " + result.ReasonString)})");
    }

    /// <summary>One connection's life: returns why it ended.</summary>
    private async Task<string> RunSessionAsync(CancellationToken stopping)
    {
        var session = new Session();
        lock (_lock)
            _session = session;
        if (!_client.IsConnected)
            session.Lost.TrySetResult();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        string reason = "connection closed by the platform or the network";
        var loops = new List<Task>();
        try
        {
            await SubscribeConfigAsync(cts.Token).ConfigureAwait(false);
            await StartCommandPathAsync(loops, cts.Token).ConfigureAwait(false);
            loops.Add(LiveLoopAsync(session, cts.Token));
            loops.Add(BackfillLoopAsync(cts.Token));
            loops.Add(StatusLoopAsync(cts.Token));
            loops.Add(EventLoopAsync(cts.Token));
            var first = await Task.WhenAny([session.Lost.Task, .. loops]).ConfigureAwait(false);
            if (first != session.Lost.Task && first.Exception?.GetBaseException() is { } failure)
                reason = failure.Message;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            reason = e.Message;
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        finally
        {
            lock (_lock)
            {
                session.Closed = true;
                _sparkplugNode?.ConnectionLost();
                _session = null;
            }
            await cts.CancelAsync().ConfigureAwait(false);
            foreach (var loop in loops)
            {
                try
                {
                    await loop.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Already reported as the reason, or cancellation.
                }
            }
            while (session.Live.Reader.TryRead(out var record))
                _queue.Release(record.Seq);
        }
        if (!stopping.IsCancellationRequested && _client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The connection is being dropped anyway.
            }
        }
        return reason;
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.8 + 0.4 * Random.Shared.NextDouble());

    private sealed class Session
    {
        public Channel<LiveRecord> Live { get; } = Channel.CreateUnbounded<LiveRecord>(new UnboundedChannelOptions { SingleReader = true });

        public TaskCompletionSource Lost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Guarded by the uplink's lock.</summary>
        public int LiveCount { get; set; }

        public bool Closed { get; set; }
    }

    private readonly record struct LiveRecord(long Seq, SampleBatch Batch);

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        _backlogSignal.Dispose();
        _statusSignal.Dispose();
        _sparkplugOrder.Dispose();
        _sparkplugDeviceSignal.Dispose();
        await ValueTask.CompletedTask.ConfigureAwait(false);
    }
}
