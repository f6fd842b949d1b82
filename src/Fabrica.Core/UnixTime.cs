namespace Fabrica;

/// <summary>Timestamps are UTC Unix milliseconds everywhere; finer input is rounded half away from zero.</summary>
public static class UnixTime
{
    public static long Now(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();

    public static long FromDateTimeOffset(DateTimeOffset value)
    {
        // DateTimeOffset.ToUnixTimeMilliseconds truncates; the docs promise rounding.
        var ticks = value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var half = TimeSpan.TicksPerMillisecond / 2;
        return ticks >= 0
            ? (ticks + half) / TimeSpan.TicksPerMillisecond
            : -((-ticks + half) / TimeSpan.TicksPerMillisecond);
    }

    public static DateTimeOffset ToDateTimeOffset(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
}
