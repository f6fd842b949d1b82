using System.Buffers;
using System.Text.Json;
using Fabrica.Edge.Buffering;
using Fabrica.Edge.Pipeline;
using MQTTnet;
using MQTTnet.Protocol;

namespace Fabrica.Edge.Uplink;

internal sealed partial class EdgeUplink
{
    private async Task LiveLoopAsync(Session session, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        await foreach (var record in session.Live.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var settled = false;
            try
            {
                await SendAsync(record.Seq, record.Batch, EdgeTopics.Telemetry(record.Batch.DeviceId), "live", buffer, cancellationToken).ConfigureAwait(false);
                settled = true;
            }
            finally
            {
                if (!settled)
                    _queue.Release(record.Seq);
                lock (_lock)
                    session.LiveCount--;
            }
        }
    }

    private async Task BackfillLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using var reader = _queue.OpenReader();
        var rate = _options.Uplink.DrainRate;
        var interval = rate > 0 ? TimeSpan.FromSeconds(1 / rate) : TimeSpan.Zero;
        var next = _time.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!reader.TryRead(out var seq, out var batch))
            {
                // Caught up: wait until a record misses the live path, or look again in a while.
                Log.BackfillCaughtUp(_logger, _queue.Head, _queue.Stats.PendingRecords);
                await _backlogSignal.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                continue;
            }
            var settled = false;
            try
            {
                if (interval > TimeSpan.Zero)
                {
                    var wait = _time.GetElapsedTime(_time.GetTimestamp(), next);
                    if (wait > TimeSpan.Zero)
                        await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    next = Math.Max(next, _time.GetTimestamp()) + (long)(interval.TotalSeconds * _time.TimestampFrequency);
                }
                await SendAsync(seq, batch, EdgeTopics.Backfill(batch.DeviceId), "backfill", buffer, cancellationToken).ConfigureAwait(false);
                settled = true;
                Log.BackfillSent(_logger, seq, batch.Samples.Count, batch.DeviceId);
            }
            finally
            {
                if (!settled)
                    _queue.Release(seq);
            }
        }
    }

    /// <summary>
    /// Publishes one record and settles it in the buffer: acknowledged on PUBACK success; acknowledged and counted as
    /// rejected when the platform refuses it for good (not authorised, invalid payload or topic — resending cannot
    /// help and would block the buffer); throws on anything else, which ends the session and leaves the record for
    /// the next one.
    /// </summary>
    private async Task SendAsync(long seq, SampleBatch batch, string topic, string path, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        IDisposable? sparkplugLease = null;
        MqttApplicationMessage message;
        if (IsSparkplug)
        {
            // DDATA instead of JSON; the backfill's metrics are is_historical (Uplink/Sparkplug/EdgeUplink.Sparkplug.cs).
            (message, sparkplugLease) = await SparkplugDataAsync(batch, path == "backfill", cancellationToken).ConfigureAwait(false);
            topic = message.Topic;
        }
        else
        {
            buffer.ResetWrittenCount();
            JsonTelemetryEncoder.Encode(batch, buffer);
            message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(new ReadOnlySequence<byte>(buffer.WrittenMemory))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithContentType("application/json")
                .Build();
        }
        using var order = sparkplugLease;
        using var timeout = new CancellationTokenSource(_options.Uplink.AckTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        MqttClientPublishResult result;
        Log.Publishing(_logger, seq, topic);
        if (DeliveryTrace.Enabled && batch.Samples.Count > 0)
            Log.TracePublishing(_logger, seq, path, topic, batch.Samples.Count, batch.Samples[0].Sample.Timestamp, batch.Samples[^1].Sample.Timestamp);
        try
        {
            // WaitAsync as well as the token: MQTTnet 5.2 was seen to leave a publish waiting for its PUBACK after
            // the token fired; the timeout must end the connection whatever the client does.
            result = await _client.PublishAsync(message, linked.Token).WaitAsync(_options.Uplink.AckTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
        {
            if (DeliveryTrace.Enabled)
                Log.TracePublishFailed(_logger, seq, "no PUBACK in time");
            throw new TimeoutException($"no PUBACK within {_options.Uplink.AckTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (DeliveryTrace.Enabled)
        {
            Log.TracePublishFailed(_logger, seq, e.GetType().Name + ": " + e.Message);
            throw;
        }
        var code = result.ReasonCode;
        if (DeliveryTrace.Enabled)
            Log.TracePubAck(_logger, seq, code.ToString(), result.PacketIdentifier);
        if ((int)code < 0x80)
        {
            _queue.Acknowledge(seq);
            _metrics.SamplesSent(batch.Samples.Count, path);
            return;
        }
        if (code is MqttClientPublishReasonCode.NotAuthorized or MqttClientPublishReasonCode.PayloadFormatInvalid or MqttClientPublishReasonCode.TopicNameInvalid)
        {
            _queue.Acknowledge(seq);
            Interlocked.Add(ref _rejectedSamples, batch.Samples.Count);
            _metrics.SamplesRejected(batch.Samples.Count);
            _lastError = $"the platform rejected {batch.Samples.Count} samples of {batch.DeviceId} on {topic}: {code}{(result.ReasonString is null ? "" : " (" + result.ReasonString + ")")}";
            Log.Rejected(_logger, batch.Samples.Count, batch.DeviceId, topic, code.ToString(), result.ReasonString);
            NotifyStatusChanged();
            return;
        }
        throw new InvalidOperationException($"the platform did not accept a message on {topic}: {code}");
    }

    private async Task StatusLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await PublishStatusAsync(_status(), cancellationToken).ConfigureAwait(false);
            await _statusSignal.WaitAsync(_options.Uplink.StatusInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PublishStatusAsync(EdgeStatusReport report, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(EdgeTopics.Status(_options.Id))
            .WithPayload(report.ToJson())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(true)
            .WithContentType("application/json")
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if ((int)result.ReasonCode >= 0x80)
            Log.StatusRefused(_logger, result.ReasonCode.ToString());
    }

    private async Task SubscribeConfigAsync(CancellationToken cancellationToken)
    {
        var topic = EdgeTopics.Config(_options.Id);
        var options = new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build();
        var result = await _client.SubscribeAsync(options, cancellationToken).ConfigureAwait(false);
        foreach (var item in result.Items)
        {
            if ((int)item.ResultCode >= 0x80)
                Log.ConfigSubscriptionRefused(_logger, topic, item.ResultCode.ToString());
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (TryDispatchSparkplugCommand(e) || TryDispatchCommand(e))
            return Task.CompletedTask;
        if (e.ApplicationMessage.Topic != EdgeTopics.Config(_options.Id))
            return Task.CompletedTask;
        var payload = e.ApplicationMessage.Payload;
        if (payload.IsEmpty)
            return Task.CompletedTask; // a cleared retained message
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            string? version = null;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("version", out var v))
                version = v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText();
            _configVersion = version;
            Log.ConfigReceived(_logger, version ?? "(none)", payload.Length);
            ConfigReceived?.Invoke(root.Clone());
            NotifyStatusChanged();
        }
        catch (JsonException ex)
        {
            _lastError = $"the configuration on {e.ApplicationMessage.Topic} is not JSON: {ex.Message}";
            Log.ConfigInvalid(_logger, e.ApplicationMessage.Topic, ex.Message);
        }
        return Task.CompletedTask;
    }

    /// <summary>On an orderly stop: the retained status says offline, then a normal DISCONNECT (so the will is not sent).</summary>
    public async Task SayGoodbyeAsync(CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
            return;
        try
        {
            await PublishStatusAsync(_status() with { Online = false, Link = LinkState.Disconnected }, cancellationToken).ConfigureAwait(false);
            await SparkplugGoodbyeAsync(cancellationToken).ConfigureAwait(false);
            await _client.DisconnectAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.GoodbyeFailed(_logger, e.Message);
        }
    }
}
