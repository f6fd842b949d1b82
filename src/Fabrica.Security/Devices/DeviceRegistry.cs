using Fabrica.Security.Audit;
using Fabrica.Security.Authentication;
using Fabrica.Security.Principals;
using Fabrica.Security.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Security.Devices;

/// <summary>
/// Registers devices and checks their credentials. A device authenticates with its id and its token
/// (MQTT username and password, or an HTTP bearer token) and may then publish and read only its own data.
/// Thread-safe; one instance per <see cref="SecurityStore"/>.
/// </summary>
public sealed class DeviceRegistry(SecurityStore store, IAuditLog audit, ILogger<DeviceRegistry>? logger = null)
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>Registers a device and returns its token, the only time the token is available.</summary>
    /// <exception cref="InvalidIdException">The id is not a valid device id.</exception>
    /// <exception cref="DuplicateIdException">A device with this id exists.</exception>
    public async Task<DeviceRegistration> RegisterAsync(string id, string name, Caller caller, CancellationToken cancellationToken = default)
    {
        RegistrationRules.ValidateId(PrincipalKind.Device, id);
        RegistrationRules.ValidateName(name);
        var credential = Credential.Issue(PrincipalKind.Device);
        var row = new DeviceRow
        {
            Id = id,
            Name = name,
            CreatedAt = store.Now(),
            TokenId = credential.Token.LookupId,
            TokenHash = credential.Hash,
            Salt = credential.Salt,
        };
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            db.Devices.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException e) when (RegistrationRules.IsUniqueViolation(e))
            {
                await AuditAsync(caller, AuditActions.DeviceRegister, id, AuditOutcome.Failed, "a device with this id exists", cancellationToken).ConfigureAwait(false);
                throw new DuplicateIdException(PrincipalKind.Device, id, e);
            }
        }
        await AuditAsync(caller, AuditActions.DeviceRegister, id, AuditOutcome.Success, null, cancellationToken).ConfigureAwait(false);
        SecurityLog.DeviceRegistered(_logger, id);
        return new DeviceRegistration(ToDevice(row), credential.Token.Token);
    }

    /// <summary>Devices ordered by id, <paramref name="limit"/> at a time after <paramref name="afterId"/> (keyset paging).</summary>
    public async Task<IReadOnlyList<Device>> ListAsync(string? afterId = null, int limit = 1000, CancellationToken cancellationToken = default)
    {
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var query = db.Devices.AsNoTracking();
            if (afterId is not null)
                query = query.Where(d => string.Compare(d.Id, afterId) > 0);
            return await query.OrderBy(d => d.Id).Take(RegistrationRules.ClampLimit(limit))
                .Select(d => new Device(d.Id, d.Name, d.CreatedAt, d.GatewayId))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<Device?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            return await db.Devices.AsNoTracking().Where(d => d.Id == id)
                .Select(d => new Device(d.Id, d.Name, d.CreatedAt, d.GatewayId))
                .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes a device; its token stops working at once. False when there was no such device.</summary>
    public async Task<bool> DeleteAsync(string id, Caller caller, CancellationToken cancellationToken = default)
    {
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var row = await db.Devices.Include(d => d.Gateway).SingleOrDefaultAsync(d => d.Id == id, cancellationToken).ConfigureAwait(false);
            if (row is null)
                return false;
            db.Devices.Remove(row);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            store.Credentials.Invalidate(row.TokenId);
            if (row.Gateway is { } gateway)
                store.Credentials.Invalidate(gateway.TokenId); // its list of owned devices changed
        }
        await AuditAsync(caller, AuditActions.DeviceDelete, id, AuditOutcome.Success, null, cancellationToken).ConfigureAwait(false);
        SecurityLog.DeviceDeleted(_logger, id);
        return true;
    }

    /// <summary>Gives the device a new token and returns it once; the old token stops working at once. Null when there is no such device.</summary>
    public async Task<DeviceRegistration?> RotateTokenAsync(string id, Caller caller, CancellationToken cancellationToken = default)
    {
        var credential = Credential.Issue(PrincipalKind.Device);
        DeviceRow? row;
        string oldTokenId;
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            row = await db.Devices.SingleOrDefaultAsync(d => d.Id == id, cancellationToken).ConfigureAwait(false);
            if (row is null)
                return null;
            oldTokenId = row.TokenId;
            row.TokenId = credential.Token.LookupId;
            row.TokenHash = credential.Hash;
            row.Salt = credential.Salt;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        store.Credentials.Invalidate(oldTokenId);
        await AuditAsync(caller, AuditActions.DeviceRotateToken, id, AuditOutcome.Success, null, cancellationToken).ConfigureAwait(false);
        SecurityLog.DeviceTokenRotated(_logger, id);
        return new DeviceRegistration(ToDevice(row), credential.Token.Token);
    }

    /// <summary>
    /// The MQTT check: username = <paramref name="deviceId"/>, password = <paramref name="token"/>. Null for an
    /// unknown device, a wrong or malformed token, or a token of another device; refusals are audited.
    /// </summary>
    /// <param name="source">The client's address, for the audit log.</param>
    public async ValueTask<FabricaPrincipal?> AuthenticateAsync(string deviceId, string? token, string source, CancellationToken cancellationToken = default)
    {
        var result = await CredentialVerifier.VerifyAsync(store, token, PrincipalKind.Device, LoadAsync, cancellationToken).ConfigureAwait(false);
        if (result.Principal is { } principal && string.Equals(principal.Id, deviceId, StringComparison.Ordinal))
            return principal;
        await RefuseAsync(deviceId, source, result.Refusal ?? "token belongs to another device", cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>The HTTP bearer check: the token alone names the device (its lookup id).</summary>
    public async ValueTask<FabricaPrincipal?> AuthenticateAsync(string? token, string source, CancellationToken cancellationToken = default)
    {
        var result = await CredentialVerifier.VerifyAsync(store, token, PrincipalKind.Device, LoadAsync, cancellationToken).ConfigureAwait(false);
        if (result.Principal is { } principal)
            return principal;
        await RefuseAsync(BearerName(token), source, result.Refusal!, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static string BearerName(string? token) =>
        Tokens.TokenGenerator.TryParse(token, out _, out var lookupId) ? $"(token {lookupId})" : "(bearer)";

    private static async Task<StoredCredential?> LoadAsync(SecurityDbContext db, string lookupId, CancellationToken cancellationToken)
    {
        var row = await db.Devices.AsNoTracking().Where(d => d.TokenId == lookupId)
            .Select(d => new { d.Id, d.Name, d.Salt, d.TokenHash })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : new StoredCredential(FabricaPrincipal.ForDevice(row.Id, row.Name), row.Salt, row.TokenHash);
    }

    private async Task RefuseAsync(string deviceId, string source, string reason, CancellationToken cancellationToken)
    {
        var id = CredentialVerifier.Clip(deviceId);
        SecurityLog.AuthenticationRefused(_logger, PrincipalKind.Device, id, source, reason);
        await audit.AppendAsync(new AuditEvent("unauthenticated", AuditActions.DeviceAuthenticate, "device:" + id, source, AuditOutcome.Denied, reason), cancellationToken).ConfigureAwait(false);
    }

    private ValueTask AuditAsync(Caller caller, string action, string id, AuditOutcome outcome, string? detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEvent(caller.Actor, action, "device:" + id, caller.Source, outcome, detail), cancellationToken);

    private static Device ToDevice(DeviceRow row) => new(row.Id, row.Name, row.CreatedAt, row.GatewayId);
}
