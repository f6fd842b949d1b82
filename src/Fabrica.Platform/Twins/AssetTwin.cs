using System.Collections.Concurrent;

namespace Fabrica.Platform.Twins;

/// <summary>
/// The live state of one asset: the latest reading of each tag (measured, computed, or set by a rule), kept in memory
/// and updated from ingest without a storage round trip. A reading replaces the tag's current one only when it is not
/// older (last write wins by timestamp, so late backfill does not overwrite newer live data). Thread-safe.
/// </summary>
public sealed class AssetTwin(string assetId)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TagReading> _values = new(StringComparer.Ordinal);

    public string AssetId { get; } = assetId;

    /// <summary>When the platform last received data for the asset (its clock, UTC Unix ms); null before any.</summary>
    public long? LastSeen { get; private set; }

    /// <summary>Records a reading; false when the tag already holds a newer one.</summary>
    public bool TryUpdate(string tag, in Sample sample, bool computed, long receivedAt)
    {
        lock (_lock)
        {
            if (_values.TryGetValue(tag, out var current) && current.Timestamp > sample.Timestamp)
                return false;
            _values[tag] = new TagReading(sample.Value, sample.Timestamp, sample.Quality, computed);
            if (!computed)
                LastSeen = receivedAt;
            return true;
        }
    }

    /// <summary>Copies the current values of <paramref name="tags"/>; false when one has none or is of bad quality.</summary>
    public bool TryRead(IReadOnlyList<string> tags, Span<SampleValue> values, out long newest, out Quality worst)
    {
        newest = 0;
        worst = Quality.Good;
        lock (_lock)
        {
            for (var i = 0; i < tags.Count; i++)
            {
                if (!_values.TryGetValue(tags[i], out var reading) || reading.Quality == Quality.Bad)
                    return false;
                values[i] = reading.Value;
                newest = Math.Max(newest, reading.Timestamp);
                worst = reading.Quality > worst ? reading.Quality : worst;
            }
            return true;
        }
    }

    public TagReading? Get(string tag)
    {
        lock (_lock)
            return _values.TryGetValue(tag, out var reading) ? reading : null;
    }

    /// <summary>All current readings, ordered by tag.</summary>
    public SortedDictionary<string, TagReading> Values()
    {
        lock (_lock)
            return new SortedDictionary<string, TagReading>(_values, StringComparer.Ordinal);
    }

    /// <summary>Forgets tags the asset no longer has (after a model change).</summary>
    internal void Retain(IReadOnlySet<string> tags)
    {
        lock (_lock)
        {
            foreach (var tag in _values.Keys.Where(t => !tags.Contains(t)).ToList())
                _values.Remove(tag);
        }
    }
}

/// <summary>The twins of all assets, created on first data.</summary>
public sealed class TwinBoard
{
    private readonly ConcurrentDictionary<string, AssetTwin> _twins = new(StringComparer.Ordinal);

    public AssetTwin GetOrAdd(string assetId) => _twins.GetOrAdd(assetId, static id => new AssetTwin(id));

    public AssetTwin? Find(string assetId) => _twins.GetValueOrDefault(assetId);

    /// <summary>Drops twins of assets that no longer exist and tags their type no longer declares.</summary>
    internal void Follow(Models.PlantModel model)
    {
        foreach (var (id, twin) in _twins)
        {
            if (!model.Assets.TryGetValue(id, out var asset) || model.TypeOf(asset) is not { } type)
            {
                _twins.TryRemove(id, out _);
                continue;
            }
            twin.Retain(type.TagList.Select(t => t.Name).ToHashSet(StringComparer.Ordinal));
        }
    }
}
