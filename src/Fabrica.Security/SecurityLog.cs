using Fabrica.Security.Principals;
using Microsoft.Extensions.Logging;

namespace Fabrica.Security;

/// <summary>
/// Log events of Fabrica.Security, ids 3000–3199. Ids are stable: dashboards and alerts key on them.
/// No event takes a token or a secret; credentials are named by kind and id only.
/// </summary>
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Registered device {DeviceId}")]
    public static partial void DeviceRegistered(ILogger logger, string deviceId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Deleted device {DeviceId}")]
    public static partial void DeviceDeleted(ILogger logger, string deviceId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Rotated the token of device {DeviceId}")]
    public static partial void DeviceTokenRotated(ILogger logger, string deviceId);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Registered gateway {GatewayId}")]
    public static partial void GatewayRegistered(ILogger logger, string gatewayId);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Deleted gateway {GatewayId}")]
    public static partial void GatewayDeleted(ILogger logger, string gatewayId);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "Rotated the token of gateway {GatewayId}")]
    public static partial void GatewayTokenRotated(ILogger logger, string gatewayId);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "Assigned device {DeviceId} to gateway {GatewayId}")]
    public static partial void DeviceAssigned(ILogger logger, string deviceId, string gatewayId);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Unassigned device {DeviceId} from gateway {GatewayId}")]
    public static partial void DeviceUnassigned(ILogger logger, string deviceId, string gatewayId);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Created API token {TokenId} '{TokenName}' with role {Role}")]
    public static partial void ApiTokenCreated(ILogger logger, string tokenId, string tokenName, Role role);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Information, Message = "Revoked API token {TokenId}")]
    public static partial void ApiTokenRevoked(ILogger logger, string tokenId);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "Created the first admin token; it is in {Path} (readable by this user only)")]
    public static partial void AdminTokenFileCreated(ILogger logger, string path);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Warning, Message = "An admin token exists but {Path} is missing; create another with an admin token or 'fabrica token create'")]
    public static partial void AdminTokenFileMissing(ILogger logger, string path);

    [LoggerMessage(EventId = 3030, Level = LogLevel.Information, Message = "Refused {Kind} {PrincipalId} from {Source}: {Reason}")]
    public static partial void AuthenticationRefused(ILogger logger, PrincipalKind kind, string principalId, string source, string reason);

    [LoggerMessage(EventId = 3100, Level = LogLevel.Critical, Message = "Audit log write to {Path} failed; the audit log is stopped and audited actions will fail")]
    public static partial void AuditWriteFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Removed a torn last line of {Bytes} bytes from {Path} (a crash during a write)")]
    public static partial void AuditTornTailRemoved(ILogger logger, string path, long bytes);
}
