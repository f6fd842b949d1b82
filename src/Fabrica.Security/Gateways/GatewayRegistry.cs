using Fabrica.Security.Audit;
using Fabrica.Security.Authentication;
using Fabrica.Security.Principals;
using Fabrica.Security.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Security.Gateways;

/// <summary>
/// Edge gateways: an edge authenticates with its own id and token and may publish for the devices assigned to
/// it (<see cref="FabricaPrincipal.CanPublishFor"/>). A device belongs to at most one gateway; assigning it
/// elsewhere moves it. Deleting a gateway leaves its devices registered, unassigned.
/// </summary>
public sealed class GatewayRegistry(SecurityStore store, IAuditLog audit, ILogger<GatewayRegistry>? logger = null)
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <exception cref="InvalidIdException">The id is not a valid id (same rules as device ids).</exception>
    /// <exception cref="DuplicateIdException">A gateway with this id exists.</exception>
    public async Task<GatewayRegistration> RegisterAsync(string id, string name, Caller caller, CancellationToken cancellationToken = default)
    {
        RegistrationRules.ValidateId(PrincipalKind.Gateway, id);
        RegistrationRules.ValidateName(name);
        var credential = Credential.Issue(PrincipalKind.Gateway);
        var row = new GatewayRow
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
            db.Gateways.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException e) when (RegistrationRules.IsUniqueViolation(e))
            {
                await AuditAsync(caller, AuditActions.GatewayRegister, id, AuditOutcome.Failed, "a gateway with this id exists", cancellationToken).ConfigureAwait(false);
                throw new DuplicateIdException(PrincipalKind.Gateway, id, e);
            }
        }
        await AuditAsync(caller, AuditActions.GatewayRegister, id, AuditOutcome.Success, null, cancellationToken).ConfigureAwait(false);
        SecurityLog.GatewayRegistered(_logger, id);
        return new GatewayRegistration(new Gateway(id, name, row.CreatedAt, []), credential.Token.Token);
    }

    public async Task<IReadOnlyList<Gateway>> ListAsync(CancellationToken cancellationToken = default)
    {
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.Gateways.AsNoTracking().OrderBy(g => g.Id)
                .Select(g => new { g.Id, g.Name, g.CreatedAt, Devices = g.Devices.OrderBy(d => d.Id).Select(d => d.Id).ToList() })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(g => new Gateway(g.Id, g.Name, g.CreatedAt, g.Devices));
        }
    }

    public async Task<Gateway?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var row = await db.Gateways.AsNoTracking().Where(g => g.Id == id)
                .Select(g => new { g.Id, g.Name, g.CreatedAt, Devices = g.Devices.OrderBy(d => d.Id).Select(d => d.Id).ToList() })
                .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            return row is null ? null : new Gateway(row.Id, row.Name, row.CreatedAt, row.Devices);
        }
    }

    /// <summary>Deletes a gateway; its token stops working at once and its devices become unassigned.</summary>
    public async Task<bool> DeleteAsync(string id, Caller caller, CancellationToken cancellationToken = default)
    {
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var row = await db.Gateways.Include(g => g.Devices).SingleOrDefaultAsync(g => g.Id == id, cancellationToken).ConfigureAwait(false);
            if (row is null)
                return false;
            db.Gateways.Remove(row); // loaded devices get GatewayId = null (ON DELETE SET NULL in the schema too)
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            store.Credentials.Invalidate(row.TokenId);
        }
        await AuditAsync(caller, AuditActions.GatewayDelete, id, AuditOutcome.Success, null, cancellationToken).ConfigureAwait(false);
        SecurityLog.GatewayDeleted(_logger, id);
        return true;
    }

    /// <summary>A new token for the gateway, returned once; the old one stops working at once. Null when there is no such gateway.</summary>
    public async Task<GatewayRegistration?> RotateTokenAsync(string id, Caller caller, CancellationToken cancellationToken = default)
    {
        var credential = Credential.Issue(PrincipalKind.Gateway);
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var row = await db.Gateways.Include(g => g.Devices).SingleOrDefaultAsync(g => g.Id == id, cancellationToken).ConfigureAwait(false);
            if (row is null)
                return null;
            var oldTokenId = row.TokenId;
            row.TokenId = credential.Token.LookupId;
            row.TokenHash = credential.Hash;
            row.Salt = credential.Salt;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            store.Credentials.Invalidate(oldTokenId);
            await AuditAsync(caller, AuditActions.GatewayRotateToken, id, AuditOutcome.Success, null, cancellationToken).ConfigureAwait(false);
            SecurityLog.GatewayTokenRotated(_logger, id);
            var devices = row.Devices.Select(d => d.Id).Order(StringComparer.Ordinal).ToList();
            return new GatewayRegistration(new Gateway(row.Id, row.Name, row.CreatedAt, devices), credential.Token.Token);
        }
    }

    /// <summary>Lets the gateway publish for <paramref name="deviceId"/>, moving the device from any other gateway.</summary>
    /// <exception cref="IdentityNotFoundException">The gateway or the device does not exist.</exception>
    public async Task AssignDeviceAsync(string gatewayId, string deviceId, Caller caller, CancellationToken cancellationToken = default)
    {
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var gateway = await db.Gateways.SingleOrDefaultAsync(g => g.Id == gatewayId, cancellationToken).ConfigureAwait(false)
                ?? throw new IdentityNotFoundException(PrincipalKind.Gateway, gatewayId);
            var device = await db.Devices.Include(d => d.Gateway).SingleOrDefaultAsync(d => d.Id == deviceId, cancellationToken).ConfigureAwait(false)
                ?? throw new IdentityNotFoundException(PrincipalKind.Device, deviceId);
            var previous = device.Gateway;
            device.GatewayId = gateway.Id;
            device.Gateway = gateway;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            store.Credentials.Invalidate(gateway.TokenId);
            if (previous is not null && previous.Id != gateway.Id)
                store.Credentials.Invalidate(previous.TokenId);
        }
        await AuditAsync(caller, AuditActions.GatewayAssignDevice, gatewayId, AuditOutcome.Success, "device:" + deviceId, cancellationToken).ConfigureAwait(false);
        SecurityLog.DeviceAssigned(_logger, deviceId, gatewayId);
    }

    /// <summary>Takes the device away from its gateway. False when the device does not exist or had no gateway.</summary>
    public async Task<bool> UnassignDeviceAsync(string deviceId, Caller caller, CancellationToken cancellationToken = default)
    {
        string gatewayId;
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            var device = await db.Devices.Include(d => d.Gateway).SingleOrDefaultAsync(d => d.Id == deviceId, cancellationToken).ConfigureAwait(false);
            if (device?.Gateway is not { } gateway)
                return false;
            gatewayId = gateway.Id;
            device.GatewayId = null;
            device.Gateway = null;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            store.Credentials.Invalidate(gateway.TokenId);
        }
        await AuditAsync(caller, AuditActions.GatewayUnassignDevice, gatewayId, AuditOutcome.Success, "device:" + deviceId, cancellationToken).ConfigureAwait(false);
        SecurityLog.DeviceUnassigned(_logger, deviceId, gatewayId);
        return true;
    }

    /// <summary>The MQTT check for an edge: username = gateway id, password = gateway token. Refusals are audited.</summary>
    public async ValueTask<FabricaPrincipal?> AuthenticateAsync(string gatewayId, string? token, string source, CancellationToken cancellationToken = default)
    {
        var result = await CredentialVerifier.VerifyAsync(store, token, PrincipalKind.Gateway, LoadAsync, cancellationToken).ConfigureAwait(false);
        if (result.Principal is { } principal && string.Equals(principal.Id, gatewayId, StringComparison.Ordinal))
            return principal;
        await RefuseAsync(gatewayId, source, result.Refusal ?? "token belongs to another gateway", cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>The HTTP bearer check: the token alone names the gateway.</summary>
    public async ValueTask<FabricaPrincipal?> AuthenticateAsync(string? token, string source, CancellationToken cancellationToken = default)
    {
        var result = await CredentialVerifier.VerifyAsync(store, token, PrincipalKind.Gateway, LoadAsync, cancellationToken).ConfigureAwait(false);
        if (result.Principal is { } principal)
            return principal;
        await RefuseAsync(BearerName(token), source, result.Refusal!, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static string BearerName(string? token) =>
        Tokens.TokenGenerator.TryParse(token, out _, out var lookupId) ? $"(token {lookupId})" : "(bearer)";

    private static async Task<StoredCredential?> LoadAsync(SecurityDbContext db, string lookupId, CancellationToken cancellationToken)
    {
        var row = await db.Gateways.AsNoTracking().Where(g => g.TokenId == lookupId)
            .Select(g => new { g.Id, g.Name, g.Salt, g.TokenHash, Devices = g.Devices.Select(d => d.Id).ToList() })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : new StoredCredential(FabricaPrincipal.ForGateway(row.Id, row.Name, row.Devices), row.Salt, row.TokenHash);
    }

    private async Task RefuseAsync(string gatewayId, string source, string reason, CancellationToken cancellationToken)
    {
        var id = CredentialVerifier.Clip(gatewayId);
        SecurityLog.AuthenticationRefused(_logger, PrincipalKind.Gateway, id, source, reason);
        await audit.AppendAsync(new AuditEvent("unauthenticated", AuditActions.GatewayAuthenticate, "gateway:" + id, source, AuditOutcome.Denied, reason), cancellationToken).ConfigureAwait(false);
    }

    private ValueTask AuditAsync(Caller caller, string action, string id, AuditOutcome outcome, string? detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEvent(caller.Actor, action, "gateway:" + id, caller.Source, outcome, detail), cancellationToken);
}
