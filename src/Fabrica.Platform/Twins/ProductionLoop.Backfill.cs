namespace Fabrica.Platform.Twins;

/// <summary>
/// Computed tags for edge backfill. Backfill is not evaluated by real-time rules (they would fire hours late), and the
/// live path computes from the twin, which holds the newest values — not those of the backfilled moment. So a
/// backfilled batch is computed on its own: per asset and timestamp, a computed tag is evaluated when every tag it
/// reads has a sample of that same timestamp in the batch (an edge stamps one poll's tags alike), reading computed
/// tags computed there before it, and stored under <c>asset:{id}</c> like the live results. Inputs of different
/// timestamps are not combined: no value is invented for a moment nothing was measured at.
/// </summary>
public sealed partial class ProductionLoop
{
    /// <summary>Computes and stores the computed tags of a backfilled batch (already durable); evaluates no rules.</summary>
    public ValueTask ComputeBackfillAsync(ReadOnlyMemory<SeriesSample> samples, CancellationToken cancellationToken = default)
    {
        var model = _catalog.Current;
        Dictionary<(string Asset, long Timestamp), Dictionary<string, Sample>>? moments = null;
        foreach (ref readonly var sample in samples.Span)
        {
            if (!model.Bindings.TryGetValue(sample.Series, out var bound))
                continue;
            foreach (var tag in bound)
            {
                if (model.Assets[tag.AssetId].Type is not { } type || model.ComputedTags(type).Count == 0)
                    continue;
                moments ??= [];
                var key = (tag.AssetId, sample.Sample.Timestamp);
                if (!moments.TryGetValue(key, out var values))
                    moments[key] = values = new Dictionary<string, Sample>(StringComparer.Ordinal);
                values[tag.Tag] = sample.Sample;
            }
        }
        if (moments is null)
            return ValueTask.CompletedTask;
        var writes = new List<SeriesSample>();
        var buffer = new SampleValue[16];
        foreach (var ((assetId, timestamp), values) in moments)
        {
            foreach (var tag in model.ComputedTags(model.Assets[assetId].Type!))
            {
                var inputs = tag.Expression.Tags;
                if (buffer.Length < inputs.Count)
                    buffer = new SampleValue[inputs.Count * 2];
                var worst = Quality.Good;
                var complete = true;
                for (var i = 0; i < inputs.Count && complete; i++)
                {
                    complete = values.TryGetValue(inputs[i], out var input) && input.Quality != Quality.Bad;
                    buffer[i] = input.Value;
                    worst = input.Quality > worst ? input.Quality : worst;
                }
                if (!complete)
                    continue;
                var result = new Sample(timestamp, tag.Expression.Evaluate(buffer.AsSpan(0, inputs.Count)), worst);
                values[tag.Name] = result;
                writes.Add(new SeriesSample(new SeriesKey(SeriesPrefix + assetId, tag.Name), result));
            }
        }
        return writes.Count == 0 ? ValueTask.CompletedTask : _assetSeries.WriteAsync(writes.ToArray(), cancellationToken);
    }
}
