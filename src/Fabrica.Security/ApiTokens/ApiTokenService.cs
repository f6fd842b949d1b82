using Fabrica.Security.Audit;
using Fabrica.Security.Authentication;
using Fabrica.Security.Principals;
using Fabrica.Security.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Security.ApiTokens;

/// <summary>
/// API tokens: random bearer tokens with a role, shown once, stored as salted hashes. Revoked tokens stay listed
/// (for the audit trail) and never authenticate again. There is no default password: the first admin token is
/// created on first start by <see cref="EnsureAdminTokenFileAsync"/>.
/// </summary>
public sealed partial class ApiTokenService(SecurityStore store, IAuditLog audit, ILogger<ApiTokenService>? logger = null)
{
    public const string AdminTokenFileName = "admin.token";

    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>Creates a token; its plaintext is in the result and nowhere else.</summary>
    public async Task<ApiTokenCreation> CreateAsync(string name, Role role, Caller caller, CancellationToken cancellationToken = default)
    {
        RegistrationRules.ValidateName(name);
        if (!Enum.IsDefined(role))
            throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role.");
        var credential = Credential.Issue(PrincipalKind.ApiToken);
        var row = new ApiTokenRow
        {
            Id = credential.Token.LookupId,
            Name = name,
            Role = (int)role,
            CreatedAt = store.Now(),
            TokenHash = credential.Hash,
            Salt = credential.Salt,
        };
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            db.ApiTokens.Add(row);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        await audit.AppendAsync(new AuditEvent(caller.Actor, AuditActions.TokenCreate, "token:" + row.Id, caller.Source, AuditOutcome.Success, $"name={name} role={role.ToName()}"), cancellationToken).ConfigureAwait(false);
        SecurityLog.ApiTokenCreated(_logger, row.Id, name, role);
        return new ApiTokenCreation(ToApiToken(row), credential.Token.Token);
    }

    public async Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken cancellationToken = default)
    {
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.ApiTokens.AsNoTracking().OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(ToApiToken);
        }
    }

    /// <summary>Revokes a token by its id; it stops working at once. False when there is no such active token.</summary>
    public async Task<bool> RevokeAsync(string id, Caller caller, CancellationToken cancellationToken = default)
    {
        var now = store.Now();
        int changed;
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            changed = await db.ApiTokens.Where(t => t.Id == id && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken).ConfigureAwait(false);
        }
        store.Credentials.Invalidate(id);
        if (changed == 0)
            return false;
        await audit.AppendAsync(new AuditEvent(caller.Actor, AuditActions.TokenRevoke, "token:" + id, caller.Source, AuditOutcome.Success), cancellationToken).ConfigureAwait(false);
        SecurityLog.ApiTokenRevoked(_logger, id);
        return true;
    }

    /// <summary>
    /// Checks an HTTP bearer token (<c>Authorization: Bearer fba_…</c>). Null for anything but an active API token;
    /// refusals are audited. Use <see cref="Authentication.CredentialAuthenticator"/> to accept device and gateway tokens too.
    /// </summary>
    public async ValueTask<FabricaPrincipal?> AuthenticateAsync(string? bearerToken, string source, CancellationToken cancellationToken = default)
    {
        var result = await CredentialVerifier.VerifyAsync(store, bearerToken, PrincipalKind.ApiToken, LoadAsync, cancellationToken).ConfigureAwait(false);
        if (result.Principal is { } principal)
        {
            if (!result.FromCache)
                await TouchAsync(principal.Id, cancellationToken).ConfigureAwait(false);
            return principal;
        }
        var claimed = Tokens.TokenGenerator.TryParse(bearerToken, out _, out var lookupId) ? lookupId : "(malformed)";
        SecurityLog.AuthenticationRefused(_logger, PrincipalKind.ApiToken, claimed, source, result.Refusal!);
        await audit.AppendAsync(new AuditEvent("unauthenticated", AuditActions.TokenAuthenticate, "token:" + claimed, source, AuditOutcome.Denied, result.Refusal), cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// MQTT CONNECT with an API token (docs/security.md, "Alarm subscriptions over MQTT"): username = the token's name
    /// or its id, password = the token. A token presented under another name is refused and audited, as a device
    /// token under another device's id is.
    /// </summary>
    public async ValueTask<FabricaPrincipal?> AuthenticateMqttAsync(string username, string? password, string source, CancellationToken cancellationToken = default)
    {
        if (await AuthenticateAsync(password, source, cancellationToken).ConfigureAwait(false) is not { } principal)
            return null;
        if (username == principal.Name || username == principal.Id)
            return principal;
        const string refusal = "the MQTT username is neither the token's name nor its id";
        SecurityLog.AuthenticationRefused(_logger, PrincipalKind.ApiToken, principal.Id, source, refusal);
        await audit.AppendAsync(new AuditEvent("unauthenticated", AuditActions.TokenAuthenticate, "token:" + principal.Id, source, AuditOutcome.Denied, refusal), cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static async Task<StoredCredential?> LoadAsync(SecurityDbContext db, string lookupId, CancellationToken cancellationToken)
    {
        var row = await db.ApiTokens.AsNoTracking().Where(t => t.Id == lookupId && t.RevokedAt == null)
            .Select(t => new { t.Id, t.Name, t.Role, t.Salt, t.TokenHash })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : new StoredCredential(FabricaPrincipal.ForApiToken(row.Id, row.Name, (Role)row.Role), row.Salt, row.TokenHash);
    }

    // LastUsedAt is written when a token is verified against storage, not on every request: at most once per
    // cache lifetime, so a busy client does not turn every read into a write.
    private async Task TouchAsync(string id, CancellationToken cancellationToken)
    {
        var now = store.Now();
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            await db.ApiTokens.Where(t => t.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken).ConfigureAwait(false);
        }
    }

    private static ApiToken ToApiToken(ApiTokenRow row) =>
        new(row.Id, row.Name, (Role)row.Role, row.CreatedAt, row.LastUsedAt, row.RevokedAt);
}
