using Fabrica.Security.Principals;
using Fabrica.Security.Tokens;

namespace Fabrica.Security.Tests.Tokens;

public sealed class TokenTests
{
    [Theory]
    [InlineData(PrincipalKind.Device, "fbd_")]
    [InlineData(PrincipalKind.Gateway, "fbg_")]
    [InlineData(PrincipalKind.ApiToken, "fba_")]
    public void A_token_starts_with_its_kind_and_parses_back_to_its_lookup_id(PrincipalKind kind, string prefix)
    {
        var issued = TokenGenerator.Create(kind);
        Assert.StartsWith(prefix, issued.Token, StringComparison.Ordinal);
        Assert.Equal(TokenGenerator.TokenLength, issued.Token.Length);
        Assert.True(TokenGenerator.TryParse(issued.Token, out var parsedKind, out var lookupId));
        Assert.Equal(kind, parsedKind);
        Assert.Equal(issued.LookupId, lookupId);
    }

    [Fact]
    public void Tokens_are_url_safe_and_never_repeat()
    {
        var tokens = Enumerable.Range(0, 2000).Select(_ => TokenGenerator.Create(PrincipalKind.Device)).ToList();
        Assert.Equal(tokens.Count, tokens.Select(t => t.Token).Distinct().Count());
        Assert.Equal(tokens.Count, tokens.Select(t => t.LookupId).Distinct().Count());
        Assert.All(tokens, t => Assert.Matches("^fbd_[A-Za-z0-9_-]{59}$", t.Token));
    }

    [Fact]
    public void The_secret_part_carries_at_least_256_bits()
    {
        // 43 base64url characters hold 258 bits; 32 random bytes fill 256 of them.
        Assert.True(TokenGenerator.SecretBytes * 8 >= 256);
        Assert.Equal(43, TokenGenerator.SecretLength);
    }

    [Fact]
    public void Malformed_tokens_do_not_parse()
    {
        var body = new string('A', TokenGenerator.LookupIdLength + TokenGenerator.SecretLength);
        Assert.True(TokenGenerator.TryParse("fbd_" + body, out _, out _));
        string?[] malformed =
        [
            null, "", "fbd_", "fbx_" + body, "FBD_" + body, "fbd_" + body[1..], "fbd_" + body + "A",
            "fbd_" + body[1..] + "=", "fbd_" + body[1..] + "/", "fbd_" + body[1..] + " ", "fbd_" + body[1..] + "é",
        ];
        Assert.All(malformed, token => Assert.False(TokenGenerator.TryParse(token, out _, out _), token));
    }

    [Fact]
    public void A_hash_verifies_the_same_token_only()
    {
        var token = TokenGenerator.Create(PrincipalKind.ApiToken).Token;
        var other = TokenGenerator.Create(PrincipalKind.ApiToken).Token;
        var salt = TokenHasher.CreateSalt();
        var hash = TokenHasher.Hash(token, salt);
        Assert.True(TokenHasher.Verify(token, salt, hash));
        Assert.False(TokenHasher.Verify(other, salt, hash));
        Assert.False(TokenHasher.Verify(token, TokenHasher.CreateSalt(), hash));
        Assert.False(TokenHasher.Verify(token, salt, hash.AsSpan(0, 16)));
        Assert.False(TokenHasher.Verify(new string('x', 5000), salt, hash));
    }

    [Fact]
    public void The_same_token_hashes_differently_under_different_salts()
    {
        var token = TokenGenerator.Create(PrincipalKind.Device).Token;
        Assert.NotEqual(TokenHasher.Hash(token, TokenHasher.CreateSalt()), TokenHasher.Hash(token, TokenHasher.CreateSalt()));
    }

    [Fact]
    public void An_issued_token_prints_without_its_secret()
    {
        var issued = TokenGenerator.Create(PrincipalKind.Device);
        Assert.DoesNotContain(issued.Token, issued.ToString(), StringComparison.Ordinal);
        Assert.Contains(issued.LookupId, issued.ToString(), StringComparison.Ordinal);
    }
}
