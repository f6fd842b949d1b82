namespace Fabrica.Core.Tests;

public sealed class NamingRulesTests
{
    [Theory]
    [InlineData("press-7")]
    [InlineData("PUMP_0001")]
    [InlineData("line2.cnc3")]
    [InlineData("a")]
    public void Url_safe_device_ids_are_valid(string id) => Assert.True(NamingRules.IsValidDeviceId(id));

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    [InlineData("plus+")]
    [InlineData("hash#")]
    [InlineData("ümlaut")]
    public void Device_ids_that_break_urls_or_topics_are_invalid(string id) => Assert.False(NamingRules.IsValidDeviceId(id));

    [Fact]
    public void Device_ids_longer_than_the_limit_are_invalid()
    {
        Assert.True(NamingRules.IsValidDeviceId(new string('a', NamingRules.MaxDeviceIdLength)));
        Assert.False(NamingRules.IsValidDeviceId(new string('a', NamingRules.MaxDeviceIdLength + 1)));
    }

    [Theory]
    [InlineData("temperature", true)]
    [InlineData("Temperatur °C", true)]
    [InlineData("a/b", false)]
    [InlineData("a+", false)]
    [InlineData("#", false)]
    [InlineData("tab\there", false)]
    [InlineData("", false)]
    public void Tags_are_printable_without_topic_separators_or_wildcards(string tag, bool valid) =>
        Assert.Equal(valid, NamingRules.IsValidTag(tag));
}
