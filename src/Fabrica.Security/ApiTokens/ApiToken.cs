using Fabrica.Security.Principals;

namespace Fabrica.Security.ApiTokens;

/// <summary>An API token as listed: its lookup id, never the token. Times are UTC Unix milliseconds.</summary>
/// <param name="LastUsedAt">Last successful use, accurate to the verified-credential cache lifetime.</param>
public sealed record ApiToken(string Id, string Name, Role Role, long CreatedAt, long? LastUsedAt, long? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>A token just created and its plaintext, shown once. <see cref="ToString"/> hides the plaintext.</summary>
public sealed record ApiTokenCreation(ApiToken ApiToken, string Token)
{
    public override string ToString() => $"ApiTokenCreation {{ Id = {ApiToken.Id}, Role = {ApiToken.Role}, Token = <hidden> }}";
}

/// <summary>Where the first admin token is kept and whether this start created it.</summary>
/// <param name="Exists">False when an admin token exists but its file was removed (the token is then not recoverable).</param>
public sealed record AdminTokenFile(string Path, bool Created, bool Exists);
