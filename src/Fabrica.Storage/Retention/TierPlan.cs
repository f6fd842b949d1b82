namespace Fabrica.Storage.Retention;

/// <summary>
/// The retention tiers of <see cref="StorageOptions.Tiers"/>, validated and in milliseconds: raw retention first, then
/// the roll-up resolutions finest first. Each resolution must divide the next, so a coarser bucket is always a union
/// of finer ones and the raw horizon (aligned to the coarsest resolution) never cuts a roll-up bucket.
/// </summary>
internal sealed class TierPlan
{
    private TierPlan(TimeSpan rawRetention, long[] resolutions, TimeSpan[] retentions)
    {
        RawRetention = rawRetention;
        Resolutions = resolutions;
        Retentions = retentions;
    }

    public TimeSpan RawRetention { get; }

    /// <summary>Roll-up resolutions in ms, finest first.</summary>
    public IReadOnlyList<long> Resolutions { get; }

    public IReadOnlyList<TimeSpan> Retentions { get; }

    /// <summary>The alignment of the raw horizon: the coarsest resolution (1 ms without roll-ups).</summary>
    public long Coarsest => Resolutions.Count == 0 ? 1 : Resolutions[^1];

    public static TierPlan From(IReadOnlyList<RetentionTier> tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        if (tiers.Count == 0 || tiers[0].Resolution != TimeSpan.Zero)
            throw new ArgumentException("The first retention tier must be raw data (resolution zero).", nameof(tiers));
        var resolutions = new long[tiers.Count - 1];
        var retentions = new TimeSpan[tiers.Count - 1];
        for (var i = 1; i < tiers.Count; i++)
        {
            var resolution = tiers[i].Resolution;
            if (resolution.Ticks <= 0 || resolution.Ticks % TimeSpan.TicksPerMillisecond != 0)
                throw new ArgumentException($"Roll-up resolution {resolution} is not a positive whole number of milliseconds.", nameof(tiers));
            resolutions[i - 1] = resolution.Ticks / TimeSpan.TicksPerMillisecond;
            retentions[i - 1] = tiers[i].Retention;
            if (i > 1 && resolutions[i - 1] % resolutions[i - 2] != 0)
                throw new ArgumentException($"Roll-up resolution {resolution} is not a multiple of the finer tier's.", nameof(tiers));
        }
        foreach (var tier in tiers)
        {
            if (tier.Retention <= TimeSpan.Zero)
                throw new ArgumentException($"Retention {tier.Retention} must be positive.", nameof(tiers));
        }
        return new TierPlan(tiers[0].Retention, resolutions, retentions);
    }
}
