using Microsoft.Extensions.Logging;

namespace Fabrica.Rules;

internal static partial class RuleEngineLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Rule set {Version} applied: {Enabled} enabled rules, {Kept} kept their state, {Retired} retired")]
    public static partial void Applied(ILogger logger, string? version, int enabled, int kept, int retired);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Rule action sink failed on {What} of rule {RuleId} (device {Device})")]
    public static partial void SinkFailed(ILogger logger, string ruleId, string? device, string what, Exception exception);
}
