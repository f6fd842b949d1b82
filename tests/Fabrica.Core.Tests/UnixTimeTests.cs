namespace Fabrica.Core.Tests;

public sealed class UnixTimeTests
{
    [Theory]
    [InlineData("2026-11-30T08:00:00.0004Z", 1796025600000)]
    [InlineData("2026-11-30T08:00:00.0005Z", 1796025600001)]
    [InlineData("2026-11-30T08:00:00.9996Z", 1796025601000)]
    [InlineData("1969-12-31T23:59:59.9995Z", -1)]
    [InlineData("1969-12-31T23:59:59.9994Z", -1)]
    [InlineData("1969-12-31T23:59:59.9996Z", 0)]
    public void Finer_than_millisecond_input_is_rounded_half_away_from_zero(string text, long expected) =>
        Assert.Equal(expected, UnixTime.FromDateTimeOffset(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Whole_milliseconds_round_trip()
    {
        var value = 1_764_480_000_123L;
        Assert.Equal(value, UnixTime.FromDateTimeOffset(UnixTime.ToDateTimeOffset(value)));
    }
}

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("1m", 60_000)]
    [InlineData(" 2h ", 7_200_000)]
    [InlineData("30d", 2_592_000_000)]
    [InlineData("10y", 315_360_000_000)]
    public void Whole_numbers_with_a_unit_parse(string text, long milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(milliseconds, (long)duration.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0s")]
    [InlineData("-1s")]
    [InlineData("1.5h")]
    [InlineData("10")]
    [InlineData("5x")]
    [InlineData("99999999999999999999d")]
    [InlineData("9999999999999y")]
    public void Anything_else_is_refused(string text) => Assert.False(DurationText.TryParse(text, out _));
}
