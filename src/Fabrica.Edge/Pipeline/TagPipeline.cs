using Fabrica.Edge.Adapters;
using Fabrica.Edge.Configuration;

namespace Fabrica.Edge.Pipeline;

/// <summary>
/// What happens to each reading of one tag, in order: timestamp (the device's, else the time of the read), linear
/// scaling of numbers (<c>value * scale + offset</c>), quality propagation (a bad reading keeps the last value so the
/// platform sees the change of quality), and the report decision: every reading without a deadband; with one, a
/// reading that moved beyond it, changed quality, or is the first after <c>maxInterval</c> (heartbeat).
/// Not thread-safe: one device loop owns it.
/// </summary>
internal sealed class TagPipeline
{
    /// <summary>The platform rejects longer strings (docs/ingest.md), so longer ones are cut here.</summary>
    public const int MaxStringLength = 1024;

    private static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromSeconds(60);

    private readonly double _scale;
    private readonly double _offset;
    private readonly double? _absoluteDeadband;
    private readonly double? _percentDeadband;
    private readonly long _maxIntervalMs;
    private Sample _lastReported;
    private bool _hasReported;

    public TagPipeline(TagOptions tag)
    {
        Tag = tag;
        _scale = tag.Scale;
        _offset = tag.Offset;
        _absoluteDeadband = tag.Deadband?.Absolute;
        _percentDeadband = tag.Deadband?.Percent;
        var heartbeat = tag.MaxInterval ?? (tag.Deadband is null ? (TimeSpan?)null : DefaultHeartbeat);
        _maxIntervalMs = heartbeat is { } h ? (long)h.TotalMilliseconds : long.MaxValue;
    }

    public TagOptions Tag { get; }

    public bool HasDeadband => _absoluteDeadband is not null || _percentDeadband is not null;

    /// <summary>The last reported sample, if any (the value a bad reading carries).</summary>
    public Sample? LastReported => _hasReported ? _lastReported : null;

    /// <summary>Scales and stamps a reading; the result is what rules see, whether or not it is reported.</summary>
    public Sample Condition(TagReading reading, long readTimestamp)
    {
        var timestamp = reading.SourceTimestamp ?? readTimestamp;
        if (!reading.HasValue)
            return new Sample(timestamp, _hasReported ? _lastReported.Value : SampleValue.FromDouble(0), Quality.Bad);
        var value = reading.Value;
        var quality = reading.Quality;
        switch (value.Kind)
        {
            case ValueKind.Double or ValueKind.Long when _scale != 1 || _offset != 0:
                value = SampleValue.FromDouble(value.AsDouble() * _scale + _offset);
                break;
            case ValueKind.String when value.AsString().Length > MaxStringLength:
                value = SampleValue.FromString(value.AsString()[..MaxStringLength]);
                break;
        }
        if (value.Kind == ValueKind.Double && !double.IsFinite(value.AsDouble()))
        {
            // JSON (and the platform) cannot carry NaN or infinity: a sensor fault, reported as such.
            value = _hasReported ? _lastReported.Value : SampleValue.FromDouble(0);
            quality = Quality.Bad;
        }
        return new Sample(timestamp, value, quality);
    }

    /// <summary>Decides whether a conditioned sample goes to the platform, and remembers it if so.</summary>
    public bool ShouldReport(Sample sample)
    {
        if (_hasReported && sample.Quality == _lastReported.Quality && WithinDeadbandOrStillBad(sample)
            && sample.Timestamp - _lastReported.Timestamp < (HasDeadband ? _maxIntervalMs : Math.Min(_maxIntervalMs, (long)DefaultHeartbeat.TotalMilliseconds)))
            return false;
        _lastReported = sample;
        _hasReported = true;
        return true;
    }

    /// <summary>
    /// Inside the deadband; or, without a deadband, a bad reading repeating the last bad one (a silent device is
    /// reported bad once and then at the heartbeat, not at every poll).
    /// </summary>
    private bool WithinDeadbandOrStillBad(Sample sample) => HasDeadband
        ? WithinDeadband(sample.Value, _lastReported.Value)
        : sample.Quality == Quality.Bad && sample.Value == _lastReported.Value;

    private bool WithinDeadband(SampleValue value, SampleValue last)
    {
        if (!value.IsNumeric || !last.IsNumeric || value.Kind == ValueKind.Bool || last.Kind == ValueKind.Bool)
            return value == last;
        var delta = Math.Abs(value.AsDouble() - last.AsDouble());
        var band = _absoluteDeadband ?? Math.Abs(last.AsDouble()) * _percentDeadband!.Value / 100;
        return delta <= band;
    }
}
