using Fabrica.Edge.Pipeline;

namespace Fabrica.Edge.Runtime;

public sealed partial class EdgeRuntime
{
    private Task? _commitLoop;

    /// <summary>
    /// Every commit interval: the samples reported since the last tick become buffer records (one per device and
    /// message), are fsynced together, and are offered to the live uplink. This interval bounds what a crash loses.
    /// </summary>
    private async Task CommitLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Buffer.CommitInterval, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            CommitOnce(offerLive: true);
    }

    private void CommitOnce(bool offerLive)
    {
        var batches = _batcher.TakeBatches();
        var appended = new List<(long Seq, SampleBatch Batch)>(batches.Count);
        try
        {
            foreach (var batch in batches)
            {
                appended.Add((_queue!.Append(batch), batch));
                _metrics!.SamplesBuffered(batch.Samples.Count);
            }
            _queue!.Commit();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full or failing disk: what was not written is lost (counted); the edge keeps running.
            var lost = batches.Skip(appended.Count).Sum(b => b.Samples.Count);
            _metrics!.SamplesDropped(lost, "disk_error");
            _lastError = $"cannot write the buffer in {_options.Buffer.Directory}: {e.Message}";
            Log.BufferWriteFailed(_logger, lost, e.Message);
            return;
        }
        if (!offerLive)
            return;
        foreach (var (seq, batch) in appended)
            _uplink!.OfferLive(seq, batch);
    }

    void IEdgeSink.Read(int readings) => _metrics!.SamplesRead(readings);

    void IEdgeSink.Report(string deviceId, string tag, Sample sample) => _batcher.Add(deviceId, tag, sample);

    void IEdgeSink.DeviceStateChanged() => _uplink?.NotifyStatusChanged();

    void IEdgeSink.ApplyRules(string deviceId, string tag, Sample sample, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(_rules, NoEdgeRules.Instance))
            return;
        ValueTask pending;
        try
        {
            pending = _rules.OnSampleAsync(deviceId, tag, sample, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.RuleFailed(_logger, deviceId, tag, e.Message);
            return;
        }
        if (!pending.IsCompletedSuccessfully)
            _ = ObserveRuleAsync(pending, deviceId, tag);
    }

    private async Task ObserveRuleAsync(ValueTask pending, string deviceId, string tag)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.RuleFailed(_logger, deviceId, tag, e.Message);
        }
    }

    ValueTask IEdgeActions.WriteTagAsync(string deviceId, string tag, SampleValue value, CancellationToken cancellationToken) =>
        _pollersById.TryGetValue(deviceId, out var poller)
            ? poller.WriteAsync(tag, value, cancellationToken)
            : throw new ArgumentException($"no device {deviceId} in the configuration", nameof(deviceId));
}
