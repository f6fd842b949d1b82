using Fabrica.Security.ApiTokens;
using Fabrica.Security.Audit;
using Fabrica.Security.Principals;
using Fabrica.Security.Tokens;

namespace Fabrica.Security.Tests.ApiTokens;

public sealed class ApiTokenServiceTests
{
    private const string Source = SecurityFixture.Source;

    [Fact]
    public async Task A_created_token_authenticates_with_its_role()
    {
        await using var f = await SecurityFixture.CreateAsync();
        var created = await f.ApiTokens.CreateAsync("line dashboard", Role.Viewer, SecurityFixture.Admin);

        Assert.StartsWith("fba_", created.Token, StringComparison.Ordinal);
        var principal = await f.ApiTokens.AuthenticateAsync(created.Token, Source);
        Assert.NotNull(principal);
        Assert.Equal(PrincipalKind.ApiToken, principal.Kind);
        Assert.Equal(created.ApiToken.Id, principal.Id);
        Assert.Equal(Role.Viewer, principal.Role);
        Assert.True(principal.HasRole(Role.Viewer));
        Assert.False(principal.HasRole(Role.Operator));
        Assert.DoesNotContain(created.Token, created.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_at_once_even_after_a_cached_success()
    {
        await using var f = await SecurityFixture.CreateAsync();
        var created = await f.ApiTokens.CreateAsync("ci", Role.Engineer, SecurityFixture.Admin);
        Assert.NotNull(await f.ApiTokens.AuthenticateAsync(created.Token, Source));

        Assert.True(await f.ApiTokens.RevokeAsync(created.ApiToken.Id, SecurityFixture.Admin));

        Assert.Null(await f.ApiTokens.AuthenticateAsync(created.Token, Source));
        Assert.False(await f.ApiTokens.RevokeAsync(created.ApiToken.Id, SecurityFixture.Admin));
        var listed = Assert.Single(await f.ApiTokens.ListAsync());
        Assert.True(listed.IsRevoked);
        Assert.Equal(SecurityFixture.Start.ToUnixTimeMilliseconds(), listed.RevokedAt);
    }

    [Fact]
    public async Task Unknown_malformed_and_device_tokens_are_not_api_tokens()
    {
        await using var f = await SecurityFixture.CreateAsync();
        var device = await f.Devices.RegisterAsync("pump-1", "Pump", SecurityFixture.Admin);
        Assert.Null(await f.ApiTokens.AuthenticateAsync(device.Token, Source));
        Assert.Null(await f.ApiTokens.AuthenticateAsync(TokenGenerator.Create(PrincipalKind.ApiToken).Token, Source));
        Assert.Null(await f.ApiTokens.AuthenticateAsync("Bearer nonsense", Source));
        Assert.Null(await f.ApiTokens.AuthenticateAsync(null, Source));

        var refusals = (await f.AuditRecordsAsync()).Where(r => r.Action == AuditActions.TokenAuthenticate).ToList();
        Assert.Equal(4, refusals.Count);
        Assert.All(refusals, r => Assert.Equal(AuditOutcome.Denied, r.Outcome));
    }

    [Fact]
    public async Task Last_use_is_recorded_when_the_token_is_checked_against_storage()
    {
        await using var f = await SecurityFixture.CreateAsync();
        var created = await f.ApiTokens.CreateAsync("ci", Role.Operator, SecurityFixture.Admin);
        Assert.Null(Assert.Single(await f.ApiTokens.ListAsync()).LastUsedAt);

        f.Time.Advance(TimeSpan.FromMinutes(1));
        await f.ApiTokens.AuthenticateAsync(created.Token, Source);
        var firstUse = f.Time.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal(firstUse, Assert.Single(await f.ApiTokens.ListAsync()).LastUsedAt);

        f.Time.Advance(TimeSpan.FromSeconds(5)); // within the cache lifetime: no write
        await f.ApiTokens.AuthenticateAsync(created.Token, Source);
        Assert.Equal(firstUse, Assert.Single(await f.ApiTokens.ListAsync()).LastUsedAt);

        f.Time.Advance(TimeSpan.FromMinutes(1)); // cache entry expired: checked against storage again
        await f.ApiTokens.AuthenticateAsync(created.Token, Source);
        Assert.Equal(f.Time.GetUtcNow().ToUnixTimeMilliseconds(), Assert.Single(await f.ApiTokens.ListAsync()).LastUsedAt);
    }

    [Fact]
    public async Task The_first_start_writes_an_admin_token_file_with_mode_0600_and_the_second_reuses_it()
    {
        var f = await SecurityFixture.CreateAsync();
        var dataDirectory = Path.Combine(f.Directory, "data");

        var first = await f.ApiTokens.EnsureAdminTokenFileAsync(dataDirectory);

        Assert.True(first.Created);
        Assert.Equal(Path.Combine(dataDirectory, ApiTokenService.AdminTokenFileName), first.Path);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.Path));
        var token = (await File.ReadAllTextAsync(first.Path)).Trim();
        var admin = await f.ApiTokens.AuthenticateAsync(token, Source);
        Assert.True(admin?.HasRole(Role.Admin));
        Assert.False(File.Exists(first.Path + ".tmp"));

        await using var restarted = await f.RestartAsync();
        var second = await restarted.ApiTokens.EnsureAdminTokenFileAsync(dataDirectory);

        Assert.False(second.Created);
        Assert.True(second.Exists);
        Assert.Equal(token, (await File.ReadAllTextAsync(second.Path)).Trim());
        Assert.Single(await restarted.ApiTokens.ListAsync());
        Assert.NotNull(await restarted.ApiTokens.AuthenticateAsync(token, Source));
        var creation = Assert.Single(await restarted.AuditRecordsAsync(), r => r.Action == AuditActions.TokenCreate);
        Assert.Equal("system", creation.Actor);
    }

    [Fact]
    public async Task When_every_admin_token_is_revoked_the_next_start_writes_a_new_one()
    {
        await using var f = await SecurityFixture.CreateAsync();
        var first = await f.ApiTokens.EnsureAdminTokenFileAsync(f.Directory);
        var oldToken = (await File.ReadAllTextAsync(first.Path)).Trim();
        var admin = await f.ApiTokens.AuthenticateAsync(oldToken, Source);
        await f.ApiTokens.RevokeAsync(admin!.Id, SecurityFixture.Admin);

        var second = await f.ApiTokens.EnsureAdminTokenFileAsync(f.Directory);

        Assert.True(second.Created);
        var newToken = (await File.ReadAllTextAsync(second.Path)).Trim();
        Assert.NotEqual(oldToken, newToken);
        Assert.True((await f.ApiTokens.AuthenticateAsync(newToken, Source))?.HasRole(Role.Admin));
    }

    [Fact]
    public async Task A_missing_admin_token_file_is_reported_not_silently_replaced()
    {
        await using var f = await SecurityFixture.CreateAsync();
        var first = await f.ApiTokens.EnsureAdminTokenFileAsync(f.Directory);
        File.Delete(first.Path);

        var second = await f.ApiTokens.EnsureAdminTokenFileAsync(f.Directory);

        Assert.False(second.Created);
        Assert.False(second.Exists);
        Assert.Single(await f.ApiTokens.ListAsync());
    }
}
