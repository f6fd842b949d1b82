using Fabrica.Security.Principals;

namespace Fabrica.Security.Tests.Principals;

public sealed class FabricaPrincipalTests
{
    [Fact]
    public void Roles_are_ordered_viewer_operator_engineer_admin()
    {
        Assert.True(Role.Viewer < Role.Operator);
        Assert.True(Role.Operator < Role.Engineer);
        Assert.True(Role.Engineer < Role.Admin);
    }

    [Theory]
    [InlineData(Role.Viewer, new[] { Role.Viewer })]
    [InlineData(Role.Operator, new[] { Role.Viewer, Role.Operator })]
    [InlineData(Role.Engineer, new[] { Role.Viewer, Role.Operator, Role.Engineer })]
    [InlineData(Role.Admin, new[] { Role.Viewer, Role.Operator, Role.Engineer, Role.Admin })]
    public void A_token_has_its_role_and_every_role_below_it_and_none_above(Role role, Role[] granted)
    {
        var principal = FabricaPrincipal.ForApiToken("id", "name", role);
        foreach (var minimum in Enum.GetValues<Role>())
            Assert.Equal(granted.Contains(minimum), principal.HasRole(minimum));
    }

    [Fact]
    public void Devices_and_gateways_have_no_role()
    {
        Assert.False(FabricaPrincipal.ForDevice("pump-1", "Pump").HasRole(Role.Viewer));
        Assert.False(FabricaPrincipal.ForGateway("edge-1", "Edge", ["pump-1"]).HasRole(Role.Viewer));
    }

    [Fact]
    public void A_device_may_publish_and_read_only_as_itself()
    {
        var device = FabricaPrincipal.ForDevice("pump-1", "Pump");
        Assert.True(device.CanPublishFor("pump-1"));
        Assert.True(device.CanReadDevice("pump-1"));
        Assert.False(device.CanPublishFor("pump-2"));
        Assert.False(device.CanReadDevice("pump-2"));
        Assert.False(device.CanPublishFor("PUMP-1"));
    }

    [Fact]
    public void A_gateway_may_publish_for_its_own_devices_only()
    {
        var gateway = FabricaPrincipal.ForGateway("edge-1", "Edge", ["pump-1", "press-7"]);
        Assert.True(gateway.CanPublishFor("pump-1"));
        Assert.True(gateway.CanPublishFor("press-7"));
        Assert.False(gateway.CanPublishFor("pump-2"));
        Assert.False(gateway.CanPublishFor("edge-1"));
        Assert.True(gateway.CanReadDevice("pump-1"));
        Assert.False(gateway.CanReadDevice("pump-2"));
    }

    [Fact]
    public void Api_tokens_read_every_device_but_never_publish_as_one()
    {
        var viewer = FabricaPrincipal.ForApiToken("id", "dashboard", Role.Viewer);
        var admin = FabricaPrincipal.ForApiToken("id", "root", Role.Admin);
        Assert.True(viewer.CanReadDevice("pump-1"));
        Assert.False(viewer.CanPublishFor("pump-1"));
        Assert.False(admin.CanPublishFor("pump-1"));
    }

    [Fact]
    public void The_actor_names_kind_and_id()
    {
        Assert.Equal("device:pump-1", FabricaPrincipal.ForDevice("pump-1", "Pump").Actor);
        Assert.Equal("gateway:edge-1", FabricaPrincipal.ForGateway("edge-1", "Edge", []).Actor);
        Assert.Equal("token:abc", FabricaPrincipal.ForApiToken("abc", "ci", Role.Operator).Actor);
    }

    [Theory]
    [InlineData("viewer", Role.Viewer)]
    [InlineData("Operator", Role.Operator)]
    [InlineData("ENGINEER", Role.Engineer)]
    [InlineData("admin", Role.Admin)]
    public void Role_names_parse_without_regard_to_case(string name, Role expected)
    {
        Assert.True(Roles.TryParse(name, out var role));
        Assert.Equal(expected, role);
        Assert.Equal(name.ToLowerInvariant(), role.ToName());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("4")]
    [InlineData("root")]
    [InlineData("superadmin")]
    public void Anything_but_a_role_name_is_refused(string? name) => Assert.False(Roles.TryParse(name, out _));
}
