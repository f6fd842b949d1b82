using Microsoft.Extensions.Logging;

namespace Fabrica.Edge.Rules;

/// <summary>Log messages of the edge rules (event ids 3400–3499).</summary>
internal static partial class EdgeRulesLog
{
    [LoggerMessage(3401, LogLevel.Information, "Edge rules {Version} in force: {Count} rules")]
    public static partial void Applied(ILogger logger, string version, int count);

    [LoggerMessage(3402, LogLevel.Information, "Edge rule {RuleId} on {Device}: {Kind} ({Reason})")]
    public static partial void Transition(ILogger logger, string ruleId, string device, string kind, string reason);

    [LoggerMessage(3403, LogLevel.Debug, "Edge rule {RuleId} wrote {Value} to {Device}/{Tag}")]
    public static partial void Written(ILogger logger, string ruleId, string device, string tag, string value);

    [LoggerMessage(3404, LogLevel.Warning, "Edge rule {RuleId} could not write {Device}/{Tag}: {Reason}")]
    public static partial void WriteFailed(ILogger logger, string ruleId, string device, string tag, string reason);

    [LoggerMessage(3405, LogLevel.Warning, "Edge rule {RuleId}: write to {Device}/{Tag} dropped, {Capacity} writes already wait for that device")]
    public static partial void WriteDropped(ILogger logger, string ruleId, string device, string tag, int capacity);

    [LoggerMessage(3406, LogLevel.Warning, "Edge rule {RuleId}: event for {Topic} dropped, the event queue is full")]
    public static partial void EventDropped(ILogger logger, string ruleId, string topic);

    [LoggerMessage(3407, LogLevel.Warning, "Edge rule {RuleId}: action {Action} is not available at the edge and was ignored")]
    public static partial void ActionIgnored(ILogger logger, string ruleId, string action);
}
