using Fabrica.Edge.Adapters;
using Fabrica.Edge.Pipeline;

namespace Fabrica.Edge.Runtime;

/// <summary>
/// Devices that report values themselves (<see cref="ISubscribingDeviceAdapter"/>, e.g. OPC UA): connect with the
/// polling loop's back-off, then let the adapter deliver readings until it fails; every reading goes through the same
/// tag pipeline, rules and batcher as a polled one. There is no schedule and no read timeout while subscribed: the
/// adapter's protocol keeps the connection alive and says when values are missing.
/// </summary>
internal sealed partial class DevicePoller : ITagReadingReceiver
{
    private TagPipeline[] _subscribed = [];

    /// <summary>While subscribed the adapter's own state is the device's: its protocol reconnects by itself.</summary>
    private volatile bool _subscribing;

    private async Task RunSubscribedAsync(ISubscribingDeviceAdapter adapter, CancellationToken cancellationToken)
    {
        _subscribed = [.. Device.Tags.Select(t => new TagPipeline(t))];
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = _nextConnect - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            if (!await TryConnectAsync(cancellationToken).ConfigureAwait(false))
            {
                DeliverAllBad();
                continue;
            }
            try
            {
                _subscribing = true;
                await adapter.RunSubscriptionAsync(Device.Tags, this, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                _connected = false;
                Fail(e.Message);
                DeliverAllBad();
            }
            finally
            {
                _subscribing = false;
            }
        }
    }

    void ITagReadingReceiver.OnReading(int tagIndex, TagReading reading)
    {
        var pipeline = _subscribed[tagIndex];
        _sink.Read(1);
        var sample = pipeline.Condition(reading, UnixTime.Now(_time));
        _sink.ApplyRules(Device.Id, pipeline.Tag.Name, sample, CancellationToken.None);
        if (pipeline.ShouldReport(sample))
            _sink.Report(Device.Id, pipeline.Tag.Name, sample);
    }

    void ITagReadingReceiver.OnStateChanged() => _sink.DeviceStateChanged();

    private void DeliverAllBad()
    {
        var now = UnixTime.Now(_time);
        foreach (var pipeline in _subscribed)
        {
            var sample = pipeline.Condition(TagReading.Bad, now);
            _sink.ApplyRules(Device.Id, pipeline.Tag.Name, sample, CancellationToken.None);
            if (pipeline.ShouldReport(sample))
                _sink.Report(Device.Id, pipeline.Tag.Name, sample);
        }
    }
}
