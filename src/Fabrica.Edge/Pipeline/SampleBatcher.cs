namespace Fabrica.Edge.Pipeline;

/// <summary>
/// Collects reported samples per device between two commits and cuts them into batches that fit one platform
/// message (a sample count and an estimated JSON size below the platform's 256 KiB). Thread-safe: every device loop
/// adds, the commit loop takes.
/// </summary>
internal sealed class SampleBatcher(int maxSamplesPerMessage, int maxPayloadBytes = SampleBatcher.DefaultMaxPayloadBytes)
{
    /// <summary>Below the platform's 256 KiB payload limit with room for estimation error.</summary>
    public const int DefaultMaxPayloadBytes = 192 * 1024;

    private readonly Lock _lock = new();
    private Dictionary<string, List<TagSample>> _pending = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public void Add(string deviceId, string tag, Sample sample)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(deviceId, out var list))
            {
                list = [];
                _pending[deviceId] = list;
                _order.Add(deviceId);
            }
            list.Add(new TagSample(tag, sample));
        }
    }

    /// <summary>Everything added since the last call, as message-sized batches in device order of first arrival.</summary>
    public List<SampleBatch> TakeBatches()
    {
        Dictionary<string, List<TagSample>> pending;
        string[] order;
        lock (_lock)
        {
            if (_order.Count == 0)
                return [];
            pending = _pending;
            order = [.. _order];
            _pending = new(StringComparer.Ordinal);
            _order.Clear();
        }
        var batches = new List<SampleBatch>();
        foreach (var device in order)
        {
            var samples = pending[device];
            var start = 0;
            var bytes = 0;
            for (var i = 0; i < samples.Count; i++)
            {
                var size = EstimateJsonBytes(samples[i]);
                if (i > start && (i - start >= maxSamplesPerMessage || bytes + size > maxPayloadBytes))
                {
                    batches.Add(new SampleBatch(device, samples.GetRange(start, i - start)));
                    start = i;
                    bytes = 0;
                }
                bytes += size;
            }
            batches.Add(new SampleBatch(device, start == 0 ? samples : samples.GetRange(start, samples.Count - start)));
        }
        return batches;
    }

    /// <summary>Worst case of one sample in its own JSON object: <c>{"ts":…,"q":"uncertain","values":{"tag":value}}</c>.</summary>
    internal static int EstimateJsonBytes(TagSample sample) =>
        64 + sample.Tag.Length * 6 + (sample.Sample.Value.Kind == ValueKind.String ? sample.Sample.Value.AsString().Length * 6 : 24);
}
