using Microsoft.Extensions.Logging;

namespace Fabrica.Platform.Alarms;

internal static partial class AlarmLog
{
    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Alarm {AlarmId} raised by rule {RuleId} on {AssetPath}, priority {Priority}")]
    public static partial void Raised(ILogger logger, string alarmId, string ruleId, string assetPath, int priority);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Publishing the change of alarm {AlarmId} failed")]
    public static partial void PublishFailed(ILogger logger, Exception exception, string alarmId);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Warning, Message = "Alarm flood in {Area}: {Count} alarms in the last 10 minutes (EEMUA 191 calls more than 10 a flood)")]
    public static partial void Flood(ILogger logger, string area, int count);
}
