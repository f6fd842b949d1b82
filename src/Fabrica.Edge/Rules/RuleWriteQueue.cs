using Fabrica.Edge.Pipeline;
using Microsoft.Extensions.Logging;

namespace Fabrica.Edge.Rules;

/// <summary>A device write decided by a rule.</summary>
internal readonly record struct RuleWrite(string RuleId, string Device, string Tag, SampleValue Value);

/// <summary>
/// Carries rule writes from the engine to the devices, one ordered chain per device: writes to a device go out in the
/// order the rules decided them, and a slow or unreachable device holds up only its own writes. When a device has no
/// write in flight, a new write starts on the calling thread (the device loop that evaluated the reading) and runs
/// until it awaits the device's answer — the request is on the wire without a thread hop, which is what keeps the
/// edge loop's tail latency low on a loaded machine (docs/benchmarks.md, "Edge"). That part is a socket send, so the
/// engine's "do not block" contract holds; everything after it runs asynchronously.
/// A write that fails (device refused it, connection down, no answer within the device's read timeout) is logged and
/// counted, not retried: the next transition writes again, and replaying a stale command to a machine is worse than
/// reporting it. More than <see cref="CapacityPerDevice"/> writes waiting for one device (it stopped answering) drop
/// the new one, counted.
/// </summary>
internal sealed class RuleWriteQueue(EdgeRulesContext context, EdgeRuleMetrics metrics, ILogger logger) : IAsyncDisposable
{
    public const int CapacityPerDevice = 256;

    private readonly Dictionary<string, DeviceChain> _devices = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();

    public void Enqueue(RuleWrite write)
    {
        if (_stopping.IsCancellationRequested)
            return;
        DeviceChain chain;
        lock (_lock)
        {
            if (!_devices.TryGetValue(write.Device, out chain!))
                _devices[write.Device] = chain = new DeviceChain(TimeoutOf(write.Device));
        }
        lock (chain)
        {
            if (chain.Pending >= CapacityPerDevice)
            {
                metrics.Write("dropped");
                EdgeRulesLog.WriteDropped(logger, write.RuleId, write.Device, write.Tag, CapacityPerDevice);
                return;
            }
            chain.Pending++;
            chain.Tail = ChainAsync(chain, chain.Tail, write);
        }
    }

    private TimeSpan TimeoutOf(string device) =>
        context.Options.Devices.FirstOrDefault(d => d.Id == device)?.EffectiveReadTimeout ?? TimeSpan.FromSeconds(5);

    /// <summary>Waits for the previous write of the device (synchronously done when there is none), then writes.</summary>
    private async Task ChainAsync(DeviceChain chain, Task previous, RuleWrite write)
    {
        await previous.ConfigureAwait(false);
        try
        {
            await WriteAsync(write, chain.Timeout, _stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            lock (chain)
                chain.Pending--;
        }
    }

    private async Task WriteAsync(RuleWrite write, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return;
        try
        {
            using var deadline = new CancellationTokenSource(timeout, context.Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            await context.Actions.WriteTagAsync(write.Device, write.Tag, write.Value, linked.Token).ConfigureAwait(false);
            metrics.Write("sent");
            EdgeRulesLog.Written(logger, write.RuleId, write.Device, write.Tag, write.Value.ToString());
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.Write("failed");
            var reason = e is OperationCanceledException ? $"no answer within {timeout.TotalMilliseconds:0} ms" : e.Message;
            EdgeRulesLog.WriteFailed(logger, write.RuleId, write.Device, write.Tag, reason);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // stopping: the write was abandoned with the runtime
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] tails;
        lock (_lock)
            tails = [.. _devices.Values.Select(c => { lock (c) return c.Tail; })];
        await Task.WhenAll(tails).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private sealed class DeviceChain(TimeSpan timeout)
    {
        public TimeSpan Timeout { get; } = timeout;

        /// <summary>The last write of the chain; guarded by the chain's lock.</summary>
        public Task Tail { get; set; } = Task.CompletedTask;

        public int Pending { get; set; }
    }
}
