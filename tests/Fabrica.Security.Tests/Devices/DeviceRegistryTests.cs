using Fabrica.Security.Audit;
using Fabrica.Security.Principals;
using Fabrica.Security.Tokens;

namespace Fabrica.Security.Tests.Devices;

public sealed class DeviceRegistryTests
{
    private const string Source = SecurityFixture.Source;

    [Fact]
    public async Task A_registered_device_authenticates_with_its_id_and_token()
    {
        await using var f = await SecurityFixture.CreateAsync();
        var registration = await f.Devices.RegisterAsync("pump-1", "Cooling pump 1", SecurityFixture.Admin);

        Assert.Equal("pump-1", registration.Device.Id);
        Assert.Equal(SecurityFixture.Start.ToUnixTimeMilliseconds(), registration.Device.CreatedAt);
        Assert.StartsWith("fbd_", registration.Token, StringComparison.Ordinal);
        var principal = await f.Devices.AuthenticateAsync("pump-1", registration.Token, Source);
        Assert.NotNull(principal);
        Assert.Equal(PrincipalKind.Device, principal.Kind);
        Assert.Equal("pump-1", principal.Id);
        Assert.Equal("Cooling pump 1", principal.Name);
        Assert.True(principal.CanPublishFor("pump-1"));
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_the_refusal_is_audited()
    {
        await using var f = await SecurityFixture.CreateAsync();
        var registration = await f.Devices.RegisterAsync("pump-1", "Pump", SecurityFixture.Admin);
        var wrong = registration.Token[..^1] + (registration.Token[^1] == 'A' ? 'B' : 'A');

        Assert.Null(await f.Devices.AuthenticateAsync("pump-1", wrong, Source));
        Assert.Null(await f.Devices.AuthenticateAsync("pump-1", "password", Source));
        Assert.Null(await f.Devices.AuthenticateAsync("pump-1", null, Source));

        var refusals = (await f.AuditRecordsAsync()).Where(r => r.Action == AuditActions.DeviceAuthenticate).ToList();
        Assert.Equal(3, refusals.Count);
        Assert.All(refusals, r =>
        {
            Assert.Equal(AuditOutcome.Denied, r.Outcome);
            Assert.Equal("device:pump-1", r.Target);
            Assert.Equal(Source, r.Source);
        });
    }

    [Fact]
    public async Task A_wrong_token_is_refused_even_while_the_right_one_is_cached()
    {
        await using var f = await SecurityFixture.CreateAsync();
        var registration = await f.Devices.RegisterAsync("pump-1", "Pump", SecurityFixture.Admin);
        Assert.NotNull(await f.Devices.AuthenticateAsync("pump-1", registration.Token, Source));
        var sameLookupIdOtherSecret = registration.Token[..^5] + "AAAAA";
        Assert.Null(await f.Devices.AuthenticateAsync("pump-1", sameLookupIdOtherSecret, Source));
    }

    [Fact]
    public async Task An_unknown_device_is_refused()
    {
        await using var f = await SecurityFixture.CreateAsync();
        var registration = await f.Devices.RegisterAsync("pump-1", "Pump", SecurityFixture.Admin);
        Assert.Null(await f.Devices.AuthenticateAsync("pump-404", TokenGenerator.Create(PrincipalKind.Device).Token, Source));
        // A valid token presented under another device's name is refused too.
        Assert.Null(await f.Devices.AuthenticateAsync("pump-2", registration.Token, Source));
    }

    [Fact]
    public async Task A_deleted_device_cannot_authenticate_even_right_after_a_cached_success()
    {
        await using var f = await SecurityFixture.CreateAsync();
        var registration = await f.Devices.RegisterAsync("pump-1", "Pump", SecurityFixture.Admin);
        Assert.NotNull(await f.Devices.AuthenticateAsync("pump-1", registration.Token, Source));

        Assert.True(await f.Devices.DeleteAsync("pump-1", SecurityFixture.Admin));

        Assert.Null(await f.Devices.AuthenticateAsync("pump-1", registration.Token, Source));
        Assert.Null(await f.Devices.GetAsync("pump-1"));
        Assert.False(await f.Devices.DeleteAsync("pump-1", SecurityFixture.Admin));
    }

    [Fact]
    public async Task Rotating_the_token_invalidates_the_old_one_at_once()
    {
        await using var f = await SecurityFixture.CreateAsync();
        var first = await f.Devices.RegisterAsync("pump-1", "Pump", SecurityFixture.Admin);
        Assert.NotNull(await f.Devices.AuthenticateAsync("pump-1", first.Token, Source));

        var rotated = await f.Devices.RotateTokenAsync("pump-1", SecurityFixture.Admin);

        Assert.NotNull(rotated);
        Assert.NotEqual(first.Token, rotated.Token);
        Assert.Null(await f.Devices.AuthenticateAsync("pump-1", first.Token, Source));
        Assert.NotNull(await f.Devices.AuthenticateAsync("pump-1", rotated.Token, Source));
        Assert.Null(await f.Devices.RotateTokenAsync("pump-404", SecurityFixture.Admin));
    }

    [Fact]
    public async Task Registering_an_existing_id_gives_a_duplicate_id_error()
    {
        await using var f = await SecurityFixture.CreateAsync();
        await f.Devices.RegisterAsync("pump-1", "Pump", SecurityFixture.Admin);
        var error = await Assert.ThrowsAsync<DuplicateIdException>(() => f.Devices.RegisterAsync("pump-1", "Another pump", SecurityFixture.Admin));
        Assert.Equal("pump-1", error.Id);
        Assert.Equal(PrincipalKind.Device, error.Kind);
        Assert.Equal("Pump", (await f.Devices.GetAsync("pump-1"))!.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("pump/1")]
    [InlineData("pump 1")]
    [InlineData("pump+")]
    [InlineData("pump#")]
    [InlineData("..")]
    [InlineData("pümp")]
    public async Task An_invalid_id_gives_an_invalid_id_error(string id)
    {
        await using var f = await SecurityFixture.CreateAsync();
        var error = await Assert.ThrowsAsync<InvalidIdException>(() => f.Devices.RegisterAsync(id, "Pump", SecurityFixture.Admin));
        Assert.Equal(id, error.Id);
        Assert.Empty(await f.Devices.ListAsync());
    }

    [Fact]
    public async Task An_id_longer_than_128_characters_is_invalid()
    {
        await using var f = await SecurityFixture.CreateAsync();
        await Assert.ThrowsAsync<InvalidIdException>(() => f.Devices.RegisterAsync(new string('a', 129), "Pump", SecurityFixture.Admin));
        Assert.NotNull(await f.Devices.RegisterAsync(new string('a', 128), "Pump", SecurityFixture.Admin));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("line\nbreak")]
    public async Task An_empty_or_unprintable_name_is_refused(string name)
    {
        await using var f = await SecurityFixture.CreateAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => f.Devices.RegisterAsync("pump-1", name, SecurityFixture.Admin));
    }

    [Fact]
    public async Task Devices_are_listed_by_id_a_page_at_a_time()
    {
        await using var f = await SecurityFixture.CreateAsync();
        foreach (var id in new[] { "c", "a", "d", "b" })
            await f.Devices.RegisterAsync(id, "Device " + id, SecurityFixture.Admin);

        Assert.Equal(["a", "b", "c", "d"], (await f.Devices.ListAsync()).Select(d => d.Id));
        Assert.Equal(["a", "b"], (await f.Devices.ListAsync(limit: 2)).Select(d => d.Id));
        Assert.Equal(["c", "d"], (await f.Devices.ListAsync(afterId: "b", limit: 2)).Select(d => d.Id));
    }

    [Fact]
    public async Task Devices_and_their_tokens_survive_a_restart()
    {
        var f = await SecurityFixture.CreateAsync();
        var registration = await f.Devices.RegisterAsync("pump-1", "Pump", SecurityFixture.Admin);
        await using var restarted = await f.RestartAsync();

        Assert.Equal("Pump", (await restarted.Devices.GetAsync("pump-1"))!.Name);
        Assert.NotNull(await restarted.Devices.AuthenticateAsync("pump-1", registration.Token, Source));
    }

    [Fact]
    public async Task A_device_token_works_as_a_bearer_token_and_as_mqtt_credentials()
    {
        await using var f = await SecurityFixture.CreateAsync();
        var registration = await f.Devices.RegisterAsync("pump-1", "Pump", SecurityFixture.Admin);

        var bearer = await f.Authenticator.AuthenticateBearerAsync(registration.Token, Source);
        var mqtt = await f.Authenticator.AuthenticateMqttAsync("pump-1", registration.Token, Source);

        Assert.Equal("device:pump-1", bearer?.Actor);
        Assert.Equal("device:pump-1", mqtt?.Actor);
        Assert.Null(await f.Authenticator.AuthenticateMqttAsync("pump-1", "", Source));
        Assert.Null(await f.Authenticator.AuthenticateMqttAsync(null, null, Source));
    }

    [Fact]
    public async Task Registration_and_deletion_are_audited_with_actor_source_and_outcome()
    {
        await using var f = await SecurityFixture.CreateAsync();
        await f.Devices.RegisterAsync("pump-1", "Pump", SecurityFixture.Admin);
        await Assert.ThrowsAsync<DuplicateIdException>(() => f.Devices.RegisterAsync("pump-1", "Pump", SecurityFixture.Admin));
        await f.Devices.DeleteAsync("pump-1", SecurityFixture.Admin);

        var records = await f.AuditRecordsAsync();
        Assert.Equal(
            [(AuditActions.DeviceRegister, AuditOutcome.Success), (AuditActions.DeviceRegister, AuditOutcome.Failed), (AuditActions.DeviceDelete, AuditOutcome.Success)],
            records.Select(r => (r.Action, r.Outcome)));
        Assert.All(records, r =>
        {
            Assert.Equal("token:test-admin", r.Actor);
            Assert.Equal("device:pump-1", r.Target);
            Assert.Equal(SecurityFixture.Source, r.Source);
        });
    }

    [Fact]
    public async Task Many_parallel_authentications_give_the_right_answer_every_time()
    {
        await using var f = await SecurityFixture.CreateAsync();
        var registrations = new List<(string Id, string Token)>();
        for (var i = 0; i < 20; i++)
        {
            var r = await f.Devices.RegisterAsync($"dev-{i}", $"Device {i}", SecurityFixture.Admin);
            registrations.Add((r.Device.Id, r.Token));
        }

        var attempts = Enumerable.Range(0, 2000).Select(i =>
        {
            var (id, token) = registrations[i % registrations.Count];
            var right = i % 5 != 0;
            return (Id: id, Token: right ? token : registrations[(i + 1) % registrations.Count].Token, Right: right);
        }).ToList();
        var results = new FabricaPrincipal?[attempts.Count];
        await Parallel.ForAsync(0, attempts.Count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            results[i] = await f.Devices.AuthenticateAsync(attempts[i].Id, attempts[i].Token, SecurityFixture.Source, ct));

        for (var i = 0; i < attempts.Count; i++)
        {
            if (attempts[i].Right)
                Assert.Equal(attempts[i].Id, results[i]?.Id);
            else
                Assert.Null(results[i]);
        }
    }
}
