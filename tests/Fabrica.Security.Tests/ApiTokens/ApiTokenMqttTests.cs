using Fabrica.Security.Principals;

namespace Fabrica.Security.Tests.ApiTokens;

/// <summary>API tokens over MQTT (docs/security.md, "MQTT topic rules"): username = the token's name or id.</summary>
public sealed class ApiTokenMqttTests
{
    private const string Source = SecurityFixture.Source;

    [Fact]
    public async Task An_api_token_connects_under_its_name_or_id_and_under_no_other()
    {
        await using var f = await SecurityFixture.CreateAsync();
        var created = await f.ApiTokens.CreateAsync("line1-hmi", Role.Viewer, SecurityFixture.Admin);

        var byName = await f.Authenticator.AuthenticateMqttAsync("line1-hmi", created.Token, Source);
        var byId = await f.Authenticator.AuthenticateMqttAsync(created.ApiToken.Id, created.Token, Source);
        var otherName = await f.Authenticator.AuthenticateMqttAsync("pump-1", created.Token, Source);
        var noName = await f.Authenticator.AuthenticateMqttAsync(null, created.Token, Source);
        Assert.True(await f.ApiTokens.RevokeAsync(created.ApiToken.Id, SecurityFixture.Admin));
        var revoked = await f.Authenticator.AuthenticateMqttAsync("line1-hmi", created.Token, Source);

        Assert.Equal((PrincipalKind.ApiToken, Role.Viewer), (byName!.Kind, byName.Role));
        Assert.Equal(created.ApiToken.Id, byId!.Id);
        Assert.Null(otherName);
        Assert.Null(noName);
        Assert.Null(revoked);
    }
}
