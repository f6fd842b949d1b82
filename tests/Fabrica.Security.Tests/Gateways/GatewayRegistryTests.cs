using Fabrica.Security.Principals;

namespace Fabrica.Security.Tests.Gateways;

public sealed class GatewayRegistryTests
{
    private const string Source = SecurityFixture.Source;

    private static async Task<(SecurityFixture F, string GatewayToken)> WithGatewayOwningAsync(params string[] devices)
    {
        var f = await SecurityFixture.CreateAsync();
        foreach (var device in new[] { "pump-1", "pump-2", "press-7" })
            await f.Devices.RegisterAsync(device, device, SecurityFixture.Admin);
        var gateway = await f.Gateways.RegisterAsync("edge-1", "Line 1 edge", SecurityFixture.Admin);
        foreach (var device in devices)
            await f.Gateways.AssignDeviceAsync("edge-1", device, SecurityFixture.Admin);
        return (f, gateway.Token);
    }

    [Fact]
    public async Task A_gateway_may_publish_for_the_devices_assigned_to_it_only()
    {
        var (f, token) = await WithGatewayOwningAsync("pump-1", "press-7");
        await using var _ = f;

        var gateway = await f.Gateways.AuthenticateAsync("edge-1", token, Source);

        Assert.NotNull(gateway);
        Assert.Equal(PrincipalKind.Gateway, gateway.Kind);
        Assert.True(gateway.CanPublishFor("pump-1"));
        Assert.True(gateway.CanPublishFor("press-7"));
        Assert.False(gateway.CanPublishFor("pump-2"));
        Assert.Equal(["press-7", "pump-1"], (await f.Gateways.GetAsync("edge-1"))!.DeviceIds);
        Assert.Equal("edge-1", (await f.Devices.GetAsync("pump-1"))!.GatewayId);
    }

    [Fact]
    public async Task Ownership_changes_apply_at_once_to_a_gateway_already_authenticated()
    {
        var (f, token) = await WithGatewayOwningAsync("pump-1");
        await using var _ = f;
        Assert.False((await f.Gateways.AuthenticateAsync("edge-1", token, Source))!.CanPublishFor("pump-2"));

        await f.Gateways.AssignDeviceAsync("edge-1", "pump-2", SecurityFixture.Admin);
        Assert.True((await f.Gateways.AuthenticateAsync("edge-1", token, Source))!.CanPublishFor("pump-2"));

        Assert.True(await f.Gateways.UnassignDeviceAsync("pump-2", SecurityFixture.Admin));
        Assert.False((await f.Gateways.AuthenticateAsync("edge-1", token, Source))!.CanPublishFor("pump-2"));

        await f.Devices.DeleteAsync("pump-1", SecurityFixture.Admin);
        Assert.False((await f.Gateways.AuthenticateAsync("edge-1", token, Source))!.CanPublishFor("pump-1"));
    }

    [Fact]
    public async Task Assigning_a_device_to_another_gateway_takes_it_from_the_first()
    {
        var (f, token) = await WithGatewayOwningAsync("pump-1");
        await using var _ = f;
        var second = await f.Gateways.RegisterAsync("edge-2", "Line 2 edge", SecurityFixture.Admin);
        Assert.True((await f.Gateways.AuthenticateAsync("edge-1", token, Source))!.CanPublishFor("pump-1"));

        await f.Gateways.AssignDeviceAsync("edge-2", "pump-1", SecurityFixture.Admin);

        Assert.False((await f.Gateways.AuthenticateAsync("edge-1", token, Source))!.CanPublishFor("pump-1"));
        Assert.True((await f.Gateways.AuthenticateAsync("edge-2", second.Token, Source))!.CanPublishFor("pump-1"));
    }

    [Fact]
    public async Task Assigning_an_unknown_device_or_to_an_unknown_gateway_names_what_is_missing()
    {
        var (f, _) = await WithGatewayOwningAsync();
        await using var __ = f;
        var noDevice = await Assert.ThrowsAsync<IdentityNotFoundException>(() => f.Gateways.AssignDeviceAsync("edge-1", "pump-404", SecurityFixture.Admin));
        Assert.Equal((PrincipalKind.Device, "pump-404"), (noDevice.Kind, noDevice.Id));
        var noGateway = await Assert.ThrowsAsync<IdentityNotFoundException>(() => f.Gateways.AssignDeviceAsync("edge-404", "pump-1", SecurityFixture.Admin));
        Assert.Equal((PrincipalKind.Gateway, "edge-404"), (noGateway.Kind, noGateway.Id));
    }

    [Fact]
    public async Task Deleting_a_gateway_refuses_its_token_and_leaves_its_devices_unassigned()
    {
        var (f, token) = await WithGatewayOwningAsync("pump-1");
        await using var _ = f;
        Assert.NotNull(await f.Gateways.AuthenticateAsync("edge-1", token, Source));

        Assert.True(await f.Gateways.DeleteAsync("edge-1", SecurityFixture.Admin));

        Assert.Null(await f.Gateways.AuthenticateAsync("edge-1", token, Source));
        var device = await f.Devices.GetAsync("pump-1");
        Assert.NotNull(device);
        Assert.Null(device.GatewayId);
    }

    [Fact]
    public async Task Rotating_a_gateway_token_refuses_the_old_one()
    {
        var (f, token) = await WithGatewayOwningAsync("pump-1");
        await using var _ = f;
        Assert.NotNull(await f.Gateways.AuthenticateAsync("edge-1", token, Source));

        var rotated = await f.Gateways.RotateTokenAsync("edge-1", SecurityFixture.Admin);

        Assert.Null(await f.Gateways.AuthenticateAsync("edge-1", token, Source));
        Assert.True((await f.Gateways.AuthenticateAsync("edge-1", rotated!.Token, Source))!.CanPublishFor("pump-1"));
    }

    [Fact]
    public async Task Gateway_and_device_tokens_are_not_interchangeable()
    {
        var (f, token) = await WithGatewayOwningAsync("pump-1");
        await using var _ = f;
        Assert.Null(await f.Devices.AuthenticateAsync("edge-1", token, Source));
        Assert.Null(await f.Devices.AuthenticateAsync("pump-1", token, Source));
        Assert.Null(await f.ApiTokens.AuthenticateAsync(token, Source));

        Assert.Equal("gateway:edge-1", (await f.Authenticator.AuthenticateMqttAsync("edge-1", token, Source))?.Actor);
        Assert.Equal("gateway:edge-1", (await f.Authenticator.AuthenticateBearerAsync(token, Source))?.Actor);
        Assert.Null(await f.Authenticator.AuthenticateMqttAsync("pump-1", token, Source));
    }

    [Fact]
    public async Task A_duplicate_or_invalid_gateway_id_gives_the_specific_error()
    {
        var (f, _) = await WithGatewayOwningAsync();
        await using var __ = f;
        await Assert.ThrowsAsync<DuplicateIdException>(() => f.Gateways.RegisterAsync("edge-1", "Again", SecurityFixture.Admin));
        await Assert.ThrowsAsync<InvalidIdException>(() => f.Gateways.RegisterAsync("edge/1", "Bad", SecurityFixture.Admin));
    }
}
