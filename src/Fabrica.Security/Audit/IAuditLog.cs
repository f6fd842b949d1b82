namespace Fabrica.Security.Audit;

/// <summary>
/// The platform's one append-only audit log. Every part that changes configuration or access writes here:
/// who did what, to what, from where, and how it ended. The log adds the sequence number, the time and the hash chain.
/// </summary>
public interface IAuditLog
{
    /// <summary>
    /// Queues <paramref name="entry"/>; waits only when the queue is full. The log stamps sequence, time and hash
    /// when it writes the entry, a few milliseconds later, so that they always increase together. The entry is on
    /// disk after the next batch, after <see cref="FlushAsync"/>, or when the log is disposed.
    /// </summary>
    ValueTask AppendAsync(AuditEvent entry, CancellationToken cancellationToken = default);

    /// <summary>Completes when everything appended before the call is written and flushed to disk.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);
}

/// <param name="Actor">Who: <c>device:id</c>, <c>gateway:id</c>, <c>token:id</c>, <c>system</c>, or <c>unauthenticated</c>.</param>
/// <param name="Action">What, as <c>area.verb</c>: see <see cref="AuditActions"/>.</param>
/// <param name="Target">To what, as <c>kind:id</c>.</param>
/// <param name="Source">From where: the client's IP address and port, or <c>local</c> / <c>cli</c>.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Detail">Anything a reader needs to understand the entry. Never a secret.</param>
public sealed record AuditEvent(string Actor, string Action, string Target, string Source, AuditOutcome Outcome, string? Detail = null);

public enum AuditOutcome
{
    /// <summary>Done.</summary>
    Success = 1,

    /// <summary>Refused: unauthenticated, not permitted, or invalid.</summary>
    Denied = 2,

    /// <summary>Permitted but failed.</summary>
    Failed = 3,
}

/// <summary>Action names written by Fabrica.Security. Other areas add their own in the same <c>area.verb</c> form.</summary>
public static class AuditActions
{
    public const string DeviceRegister = "device.register";
    public const string DeviceDelete = "device.delete";
    public const string DeviceRotateToken = "device.rotate-token";
    public const string DeviceAuthenticate = "device.authenticate";
    public const string GatewayRegister = "gateway.register";
    public const string GatewayDelete = "gateway.delete";
    public const string GatewayRotateToken = "gateway.rotate-token";
    public const string GatewayAssignDevice = "gateway.assign-device";
    public const string GatewayUnassignDevice = "gateway.unassign-device";
    public const string GatewayAuthenticate = "gateway.authenticate";
    public const string TokenCreate = "token.create";
    public const string TokenRevoke = "token.revoke";
    public const string TokenAuthenticate = "token.authenticate";
}
