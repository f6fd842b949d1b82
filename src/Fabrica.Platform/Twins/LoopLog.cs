using Fabrica.Rules;
using Microsoft.Extensions.Logging;

namespace Fabrica.Platform.Twins;

internal static partial class LoopLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Rule queue full ({Capacity} samples): {Count} samples shed in the last second; twins stay current, rules skip them")]
    public static partial void Shedding(ILogger logger, long count, int capacity);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Error, Message = "The production loop failed on a batch; it carries on with the next")]
    public static partial void Failed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Debug, Message = "Rule {RuleId} on {AssetId}: {Kind} ({Reason})")]
    public static partial void Transition(ILogger logger, string ruleId, string? assetId, TransitionKind kind, TransitionReason reason);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Action {Action} of rule {RuleId} dropped: {Max} actions are already waiting")]
    public static partial void ActionDropped(ILogger logger, string ruleId, string action, int max);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Error, Message = "Action {Action} of rule {RuleId} on {AssetId} failed")]
    public static partial void ActionFailed(ILogger logger, Exception exception, string ruleId, string action, string? assetId);

    [LoggerMessage(EventId = 7106, Level = LogLevel.Warning, Message = "Rule {RuleId} writes tag {Tag} of {AssetPath}, which is bound to no device; nothing sent")]
    public static partial void WriteUnbound(ILogger logger, string ruleId, string assetPath, string tag);

    [LoggerMessage(EventId = 7108, Level = LogLevel.Warning, Message = "Rule {RuleId} would write {Tag} of {AssetPath} as '{Expression}', which is not a finite number now (a tag it reads has no value yet?); nothing sent")]
    public static partial void WriteNotFinite(ILogger logger, string ruleId, string assetPath, string tag, string expression);

    [LoggerMessage(EventId = 7107, Level = LogLevel.Warning, Message = "Rule {RuleId} emits to webhook {Url}, but this host sends no webhooks; nothing sent")]
    public static partial void WebhookNotSupported(ILogger logger, string ruleId, string? url);
}
