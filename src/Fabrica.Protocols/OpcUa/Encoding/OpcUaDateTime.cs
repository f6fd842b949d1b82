namespace Fabrica.Protocols.OpcUa;

/// <summary>
/// DateTime on the wire (OPC 10000-6 §5.2.2.5): Int64 count of 100 ns intervals since 1601-01-01 UTC.
/// 0 (and anything earlier than 1601) means "no time" and maps to <see cref="DateTime.MinValue"/>;
/// Int64.MaxValue (and anything past 9999-12-31) maps to <see cref="DateTime.MaxValue"/>, both ways.
/// </summary>
public static class OpcUaDateTime
{
    private static readonly long EpochTicks = new DateTime(1601, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private static readonly long MaxWireTicks = DateTime.MaxValue.Ticks - EpochTicks;

    public static DateTime FromWire(long value)
    {
        if (value <= 0)
        {
            return DateTime.MinValue;
        }
        if (value >= MaxWireTicks)
        {
            return DateTime.MaxValue;
        }
        return new DateTime(value + EpochTicks, DateTimeKind.Utc);
    }

    public static long ToWire(DateTime value)
    {
        if (value == DateTime.MinValue)
        {
            return 0;
        }
        if (value == DateTime.MaxValue)
        {
            return long.MaxValue;
        }
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        var ticks = utc.Ticks - EpochTicks;
        return ticks <= 0 ? 0 : ticks;
    }
}
