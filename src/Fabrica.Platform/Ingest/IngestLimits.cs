using Fabrica.Storage;

namespace Fabrica.Platform.Ingest;

/// <summary>
/// What one telemetry message may contain. Every length and count is checked before anything is allocated
/// for it. Defaults suit devices on a factory network; the host binds them from configuration.
/// </summary>
public sealed record IngestLimits
{
    /// <summary>2000-01-01T00:00:00Z: earlier timestamps are almost always seconds sent as milliseconds or an unset clock.</summary>
    public const long DefaultMinTimestamp = 946_684_800_000;

    public static IngestLimits Default { get; } = new();

    /// <summary>Largest payload in bytes (256 KiB), checked before parsing.</summary>
    public int MaxPayloadBytes { get; init; } = 256 * 1024;

    /// <summary>Most samples (tag values) in one message, across all elements of a batch.</summary>
    public int MaxSamplesPerMessage { get; init; } = 10_000;

    /// <summary>Longest string value, in UTF-16 characters after JSON unescaping.</summary>
    public int MaxStringValueLength { get; init; } = 1024;

    /// <summary>Longest tag name, in characters; at most <see cref="NamingRules.MaxTagLength"/>.</summary>
    public int MaxTagLength { get; init; } = NamingRules.MaxTagLength;

    /// <summary>How far ahead of the server clock a timestamp may be (inclusive). Mirrors <see cref="StorageOptions.MaxFutureSkew"/>.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Earliest accepted timestamp, Unix milliseconds (inclusive). Lower it to backfill older history.</summary>
    public long MinTimestamp { get; init; } = DefaultMinTimestamp;

    /// <summary>Default limits with the storage engine's future skew, so ingest and storage agree.</summary>
    public static IngestLimits For(StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return new IngestLimits { MaxFutureSkew = storage.MaxFutureSkew };
    }

    /// <summary>Throws when a limit is out of range; the host calls this at start.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPayloadBytes, 2, nameof(MaxPayloadBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSamplesPerMessage, 1, nameof(MaxSamplesPerMessage));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxStringValueLength, nameof(MaxStringValueLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTagLength, 1, nameof(MaxTagLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxTagLength, NamingRules.MaxTagLength, nameof(MaxTagLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFutureSkew, TimeSpan.Zero, nameof(MaxFutureSkew));
        ArgumentOutOfRangeException.ThrowIfNegative(MinTimestamp, nameof(MinTimestamp));
    }
}
