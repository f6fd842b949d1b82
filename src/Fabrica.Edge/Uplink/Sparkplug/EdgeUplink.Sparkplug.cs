using Fabrica.Edge.Pipeline;
using Fabrica.Edge.Adapters;
using Fabrica.Edge.Uplink.Sparkplug;
using Fabrica.Protocols.Sparkplug;
using MQTTnet;
using MQTTnet.Protocol;

namespace Fabrica.Edge.Uplink;

/// <summary>
/// The Sparkplug B uplink (<c>"uplink": {"format": "sparkplug"}</c>, docs/edge.md "Uplink formats", Sparkplug 3.0):
/// the edge is an edge node <c>{group}/{edge id}</c> with one Sparkplug device per configured device. Per connection:
/// NDEATH (bdSeq) as the Will, NCMD/DCMD subscriptions, NBIRTH and a DBIRTH per device (every tag with its alias
/// and datatype), then each buffered record as one DDATA. Store-and-forward stays as it is: a record leaves the
/// buffer only on PUBACK, so DDATA goes at QoS 1 (Sparkplug prescribes QoS 0 for DATA, §5.16; the platform's
/// acknowledgement is what makes the buffer safe), and backlog records go as DDATA whose metrics carry their
/// original timestamps and <c>is_historical = true</c> (§6.4.6), which the platform stores without feeding its
/// real-time rules. Every Sparkplug message is created and published under one lock, so seq reaches the broker in
/// the order it was assigned.
/// </summary>
internal sealed partial class EdgeUplink
{
    private readonly SemaphoreSlim _sparkplugOrder = new(1, 1);
    private readonly SemaphoreSlim _sparkplugDeviceSignal = new(0, 1);
    private SparkplugEdgeNode? _sparkplugNode;
    private Dictionary<string, bool>? _sparkplugDeviceUp;

    /// <summary>Where NCMD/DCMD writes go: the runtime's device write path, the one edge rules use.</summary>
    public IEdgeActions? DeviceWriter { get; set; }

    private bool IsSparkplug => _options.Uplink.Format == "sparkplug";

    /// <summary>The edge node, created on first use with every configured device and tag declared (aliases from 1).</summary>
    private SparkplugEdgeNode SparkplugNode => LazyInitializer.EnsureInitialized(ref _sparkplugNode, () =>
    {
        var node = new SparkplugEdgeNode(_options.Uplink.SparkplugGroupId, _options.Id, _time);
        foreach (var device in _options.Devices)
            node.DefineDevice(device.Id, device.Tags.Select(t => KeyValuePair.Create(t.Name, SparkplugValue.Null(SparkplugTagTypes.Of(t)))));
        return node;
    });

    /// <summary>The NDEATH Will of the next connection (a new bdSeq each time, §5.4).</summary>
    private MqttClientOptionsBuilder WithSparkplugWill(MqttClientOptionsBuilder builder)
    {
        if (!IsSparkplug)
            return builder;
        var will = SparkplugNode.CreateWill();
        return builder
            .WithWillTopic(will.TopicName)
            .WithWillPayload(will.Payload)
            .WithWillRetain(false)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
    }

    /// <summary>Per session: JSON platform commands, or (Sparkplug) NCMD/DCMD, the births and the device state loop.</summary>
    private async Task StartCommandPathAsync(List<Task> loops, CancellationToken cancellationToken)
    {
        if (!IsSparkplug)
        {
            StartCommandSubscriptions(cancellationToken);
            return;
        }
        await StartSparkplugSessionAsync(cancellationToken).ConfigureAwait(false);
        loops.Add(SparkplugDeviceLoopAsync(cancellationToken));
    }

    /// <summary>Subscribes to this node's NCMD and DCMD, then publishes NBIRTH and the DBIRTHs (§5.4: in that order).</summary>
    private async Task StartSparkplugSessionAsync(CancellationToken cancellationToken)
    {
        var node = SparkplugNode;
        var options = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(SparkplugTopic.ForNode(node.GroupId, SparkplugMessageType.NCMD, node.EdgeNodeId).ToString(), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter($"{SparkplugTopic.Namespace}/{node.GroupId}/DCMD/{node.EdgeNodeId}/+", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var result = await _client.SubscribeAsync(options, cancellationToken).ConfigureAwait(false);
        foreach (var item in result.Items.Where(i => (int)i.ResultCode >= 0x80))
            Log.SparkplugSubscriptionRefused(_logger, item.TopicFilter.Topic, item.ResultCode.ToString());
        await _sparkplugOrder.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _sparkplugDeviceUp = _status().Devices.ToDictionary(d => d.Id, d => d.State == DeviceState.Connected, StringComparer.Ordinal);
            foreach (var birth in node.CreateBirths())
                await PublishSparkplugAsync(birth, cancellationToken).ConfigureAwait(false);
            Log.SparkplugBorn(_logger, node.GroupId, node.EdgeNodeId, node.BdSeq, _options.Devices.Count);
        }
        finally
        {
            _sparkplugOrder.Release();
        }
    }

    /// <summary>
    /// The DDATA of one buffered record, with the order lock held until the caller has its PUBACK (dispose the
    /// returned lease). A device without a birth in this session (after its DDEATH) gets a DBIRTH first.
    /// </summary>
    private async Task<(MqttApplicationMessage Message, IDisposable Lease)> SparkplugDataAsync(SampleBatch batch, bool historical, CancellationToken cancellationToken)
    {
        await _sparkplugOrder.WaitAsync(cancellationToken).ConfigureAwait(false);
        var lease = new OrderLease(_sparkplugOrder);
        try
        {
            var node = SparkplugNode;
            if (!node.IsDeviceBorn(batch.DeviceId))
                await PublishSparkplugAsync(node.DeviceBirth(batch.DeviceId), cancellationToken).ConfigureAwait(false);
            var updates = new List<SparkplugMetricUpdate>(batch.Samples.Count);
            var unfit = 0;
            foreach (var (tag, sample) in batch.Samples)
            {
                if (node.TryGetDeviceMetric(batch.DeviceId, tag, out var type) && SparkplugTagTypes.TryConvert(type, sample.Value, out var value))
                    updates.Add(new SparkplugMetricUpdate(tag, value, sample.Timestamp, SparkplugTagTypes.QualityOf(sample.Quality), historical));
                else
                    unfit++;
            }
            if (unfit > 0)
            {
                // Not declared in the birth (a tag added by a pushed configuration) or not of its declared type.
                Interlocked.Add(ref _rejectedSamples, unfit);
                _metrics.SamplesRejected(unfit);
                Log.SparkplugUnfitSamples(_logger, unfit, batch.DeviceId);
            }
            var data = node.DeviceData(batch.DeviceId, updates);
            return (ToMqtt(data, MqttQualityOfServiceLevel.AtLeastOnce), lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>Publishes one Sparkplug message (caller holds the order lock); a refusal ends the session.</summary>
    private async Task PublishSparkplugAsync(SparkplugMessage message, CancellationToken cancellationToken)
    {
        var result = await _client.PublishAsync(ToMqtt(message, (MqttQualityOfServiceLevel)Math.Max(message.QualityOfService, 1)), cancellationToken)
            .WaitAsync(_options.Uplink.AckTimeout, _time, cancellationToken).ConfigureAwait(false);
        if ((int)result.ReasonCode >= 0x80)
            throw new InvalidOperationException($"the platform did not accept {message.Topic.MessageType} on {message.TopicName}: {result.ReasonCode}{(result.ReasonString is null ? "" : " (" + result.ReasonString + ")")}");
    }

    private static MqttApplicationMessage ToMqtt(SparkplugMessage message, MqttQualityOfServiceLevel qos) => new MqttApplicationMessageBuilder()
        .WithTopic(message.TopicName)
        .WithPayload(message.Payload)
        .WithQualityOfServiceLevel(qos)
        .WithRetainFlag(message.Retain)
        .Build();

    /// <summary>
    /// DDEATH when a device goes down (connected → anything else), DBIRTH when it is back (§5.7, §5.6): driven by the
    /// runtime's device state changes, which also wake the status report.
    /// </summary>
    private async Task SparkplugDeviceLoopAsync(CancellationToken cancellationToken)
    {
        var node = SparkplugNode;
        while (!cancellationToken.IsCancellationRequested)
        {
            await _sparkplugDeviceSignal.WaitAsync(_options.Uplink.StatusInterval, cancellationToken).ConfigureAwait(false);
            await _sparkplugOrder.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                foreach (var device in _status().Devices)
                {
                    var up = device.State == DeviceState.Connected;
                    if (_sparkplugDeviceUp is null || _sparkplugDeviceUp.GetValueOrDefault(device.Id) == up)
                        continue;
                    _sparkplugDeviceUp[device.Id] = up;
                    if (!up && node.IsDeviceBorn(device.Id))
                    {
                        await PublishSparkplugAsync(node.DeviceDeath(device.Id), cancellationToken).ConfigureAwait(false);
                        Log.SparkplugDeviceDeath(_logger, device.Id, device.State.ToString());
                    }
                    else if (up && !node.IsDeviceBorn(device.Id))
                    {
                        await PublishSparkplugAsync(node.DeviceBirth(device.Id), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                _sparkplugOrder.Release();
            }
        }
    }

    /// <summary>On an orderly stop: NDEATH before DISCONNECT, since the broker then drops the Will (§5.5).</summary>
    private async Task SparkplugGoodbyeAsync(CancellationToken cancellationToken)
    {
        if (!IsSparkplug || _sparkplugNode is not { IsOnline: true } node)
            return;
        await _client.PublishAsync(ToMqtt(node.CreateDeath(), MqttQualityOfServiceLevel.AtLeastOnce), cancellationToken).ConfigureAwait(false);
    }

    private sealed class OrderLease(SemaphoreSlim order) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                order.Release();
        }
    }
}
