using Microsoft.Extensions.Logging;

namespace Fabrica.Platform.Commands;

internal static partial class CommandLog
{
    [LoggerMessage(EventId = 7301, Level = LogLevel.Information, Message = "Command {CommandId} '{Name}' to {DeviceId} sent by {Actor}")]
    public static partial void Sent(ILogger logger, string commandId, string name, string deviceId, string actor);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Warning, Message = "Handing command {CommandId} to the transport for {DeviceId} failed")]
    public static partial void SendFailed(ILogger logger, Exception exception, string commandId, string deviceId);

    [LoggerMessage(EventId = 7303, Level = LogLevel.Information, Message = "Command {CommandId} to {DeviceId} ended {Status} {Error}")]
    public static partial void Completed(ILogger logger, string commandId, string deviceId, string status, string? error);
}
