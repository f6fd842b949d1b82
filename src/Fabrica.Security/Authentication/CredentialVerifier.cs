using Fabrica.Security.Principals;
using Fabrica.Security.Storage;
using Fabrica.Security.Tokens;

namespace Fabrica.Security.Authentication;

/// <summary>What storage holds for one credential: whom it names and its salted hash.</summary>
internal sealed record StoredCredential(FabricaPrincipal Principal, byte[] Salt, byte[] Hash);

/// <summary>
/// The one verification path for every kind of token: parse (no I/O for garbage), cache, else one indexed query
/// by lookup id, then a constant-time hash compare.
/// </summary>
internal static class CredentialVerifier
{
    public const string Malformed = "not a well-formed token of this kind";
    public const string Unknown = "no credential with this token id";
    public const string WrongSecret = "token does not match";

    public static async ValueTask<Verification> VerifyAsync(
        SecurityStore store,
        string? token,
        PrincipalKind expectedKind,
        Func<SecurityDbContext, string, CancellationToken, Task<StoredCredential?>> load,
        CancellationToken cancellationToken)
    {
        if (!TokenGenerator.TryParse(token, out var kind, out var lookupId) || kind != expectedKind)
            return Verification.Refused(Malformed);

        var cache = store.Credentials;
        if (cache.TryGet(lookupId, out var cached))
        {
            return TokenHasher.Verify(token, cached.Salt, cached.Hash)
                ? new Verification(cached.Principal, null, FromCache: true)
                : Verification.Refused(WrongSecret);
        }

        var generation = cache.Generation;
        StoredCredential? stored;
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
            stored = await load(db, lookupId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
            return Verification.Refused(Unknown);
        if (!TokenHasher.Verify(token, stored.Salt, stored.Hash))
            return Verification.Refused(WrongSecret);
        cache.Add(lookupId, stored.Principal, stored.Salt, stored.Hash, generation);
        return new Verification(stored.Principal, null, FromCache: false);
    }

    /// <summary>Keeps untrusted names (an MQTT username can be 64 KiB) short in logs and the audit log.</summary>
    public static string Clip(string? value) =>
        value is null ? "" : value.Length <= 160 ? value : string.Concat(value.AsSpan(0, 160), "…");

    internal readonly record struct Verification(FabricaPrincipal? Principal, string? Refusal, bool FromCache)
    {
        public static Verification Refused(string reason) => new(null, reason, false);
    }
}
