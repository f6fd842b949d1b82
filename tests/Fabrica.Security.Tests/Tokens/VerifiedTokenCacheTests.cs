using Fabrica.Security.Principals;
using Fabrica.Security.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace Fabrica.Security.Tests.Tokens;

public sealed class VerifiedTokenCacheTests
{
    private static readonly FabricaPrincipal Pump = FabricaPrincipal.ForDevice("pump-1", "Pump");

    [Fact]
    public void An_entry_expires_after_its_lifetime()
    {
        var time = new FakeTimeProvider(SecurityFixture.Start);
        var cache = new VerifiedTokenCache(time, TimeSpan.FromSeconds(30), 100);
        cache.Add("id", Pump, [1], [2], cache.Generation);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(cache.TryGet("id", out _));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet("id", out _));
    }

    [Fact]
    public void A_credential_loaded_before_an_invalidation_is_not_cached_after_it()
    {
        var cache = new VerifiedTokenCache(new FakeTimeProvider(SecurityFixture.Start), TimeSpan.FromSeconds(30), 100);
        var before = cache.Generation;
        cache.Invalidate("id"); // e.g. a delete committed while the credential was being read
        cache.Add("id", Pump, [1], [2], before);
        Assert.False(cache.TryGet("id", out _));
    }

    [Fact]
    public void A_full_cache_starts_afresh_instead_of_growing()
    {
        var cache = new VerifiedTokenCache(new FakeTimeProvider(SecurityFixture.Start), TimeSpan.FromSeconds(30), 10);
        for (var i = 0; i < 25; i++)
            cache.Add("id" + i, Pump, [1], [2], cache.Generation);
        Assert.True(cache.Count <= 10);
        Assert.True(cache.TryGet("id24", out _));
    }
}
