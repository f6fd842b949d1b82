namespace Fabrica.Platform.Ingest;

/// <summary>
/// Samples that another decoder produced (Sparkplug B metrics) enter storage through the same door as JSON: the same
/// limits on names, timestamps, string lengths and counts, the same metrics, and the same durability before the
/// acknowledgement. Sparkplug can carry NaN and infinities, which are stored as sent.
/// </summary>
public sealed partial class TelemetryIngest
{
    /// <param name="source">The device or edge the message came from, for logs and the rejection report.</param>
    public ValueTask<IngestOutcome> IngestDecodedAsync(string source, IReadOnlyList<SeriesSample> samples, IngestTransport transport,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        Metrics.MessageReceived(transport);
        var now = UnixTime.Now(_time);
        if (samples.Count > _limits.MaxSamplesPerMessage)
        {
            return ValueTask.FromResult(Reject(source, transport, now, new TelemetryRejection(RejectReason.TooManySamples, null,
                $"{samples.Count} values in one message; at most {_limits.MaxSamplesPerMessage} are accepted.")));
        }
        var latest = now + (long)_limits.MaxFutureSkew.TotalMilliseconds;
        var batch = new SampleBatch(Math.Max(samples.Count, 1));
        for (var i = 0; i < samples.Count; i++)
        {
            var (series, sample) = samples[i];
            if (Check(series, sample, latest) is { } rejection)
            {
                batch.Dispose();
                return ValueTask.FromResult(Reject(source, transport, now, rejection));
            }
            batch.Add(samples[i]);
        }
        return StoreAsync(source, transport, batch, cancellationToken);
    }

    private TelemetryRejection? Check(SeriesKey series, in Sample sample, long latest)
    {
        if (!NamingRules.IsValidDeviceId(series.Device))
            return new(RejectReason.InvalidDeviceId, series.Device, "A device id is 1 to 128 letters, digits, '-', '_' or '.'.");
        if (!NamingRules.IsValidTag(series.Tag) || series.Tag.Length > _limits.MaxTagLength)
            return new(RejectReason.InvalidKey, series.Tag, "A tag is 1 to 256 printable characters without '/', '+' or '#'.");
        if (sample.Timestamp < _limits.MinTimestamp)
            return new(RejectReason.InvalidTimestamp, series.Tag, $"Timestamp {sample.Timestamp} is before 2000-01-01: send Unix milliseconds.");
        if (sample.Timestamp > latest)
            return new(RejectReason.TimestampInFuture, series.Tag, $"Timestamp {sample.Timestamp} is more than {_limits.MaxFutureSkew} ahead of the server clock.");
        if (sample.Value.Kind == ValueKind.String && sample.Value.AsString().Length > _limits.MaxStringValueLength)
            return new(RejectReason.ValueTooLong, series.Tag, $"Strings are at most {_limits.MaxStringValueLength} characters.");
        return null;
    }
}
