using CsCheck;
using Fabrica.Protocols.Sparkplug;

namespace Fabrica.Protocols.Tests.Sparkplug;

public sealed class SparkplugNamingTests
{
    [Theory]
    [InlineData("Plant1", "Edge1", null, true, "Plant1.Edge1")]
    [InlineData("Plant1", "Edge1", "Press7", true, "Plant1.Edge1.Press7")]
    [InlineData("Plant1", "Edge1", "Press7", false, "Edge1.Press7")]
    [InlineData("Line 2", "edge.gw", "pump:1", true, "Line_2.edge_gw.pump_1")]
    public void Device_ids_join_the_sanitised_sparkplug_names_with_dots(string group, string edge, string? device, bool includeGroup, string expected) =>
        Assert.Equal(expected, SparkplugNaming.ToDeviceId(group, edge, device, includeGroup));

    [Fact]
    public void Names_in_other_scripts_keep_distinct_device_ids()
    {
        var pump = SparkplugNaming.ToDeviceId("工厂", "网关", "泵");
        var valve = SparkplugNaming.ToDeviceId("工厂", "网关", "阀");

        Assert.NotEqual(pump, valve);
        Assert.True(NamingRules.IsValidDeviceId(pump));
        Assert.Matches("^__-[0-9a-f]{8}\\.__-[0-9a-f]{8}\\._-[0-9a-f]{8}$", pump);
    }

    [Theory]
    [InlineData("Temperature", "Temperature")]
    [InlineData("Inputs/Motor 1/Current", "Inputs.Motor 1.Current")]
    [InlineData("a+b#c", "a_b_c")]
    [InlineData("温度/传感器", "温度.传感器")]
    public void Tags_turn_folders_into_dots_and_drop_mqtt_wildcards(string metric, string expected) =>
        Assert.Equal(expected, SparkplugNaming.ToTag(metric));

    [Fact]
    public void Any_sparkplug_names_map_to_valid_fabrica_identifiers()
    {
        var element = Gen.String[Gen.Char, 1, 200];
        Gen.Select(element, element, element.Null(), Gen.Bool).Sample((group, edge, device, includeGroup) =>
        {
            var id = SparkplugNaming.ToDeviceId(group, edge, device, includeGroup);
            return NamingRules.IsValidDeviceId(id) && id == SparkplugNaming.ToDeviceId(group, edge, device, includeGroup);
        });
        Gen.String[Gen.Char, 1, 600].Sample(name => NamingRules.IsValidTag(SparkplugNaming.ToTag(name)));
    }
}
