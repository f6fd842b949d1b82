namespace Fabrica.Edge.Pipeline;

/// <summary>A sample of one tag.</summary>
public readonly record struct TagSample(string Tag, Sample Sample);

/// <summary>
/// Samples of one device in the order they were read: the unit the buffer stores as one record and the uplink sends
/// as one MQTT message.
/// </summary>
public sealed record SampleBatch(string DeviceId, IReadOnlyList<TagSample> Samples);
