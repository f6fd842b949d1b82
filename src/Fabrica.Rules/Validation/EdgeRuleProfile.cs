namespace Fabrica.Rules;

/// <summary>
/// What a rule may do when it runs on an edge gateway (docs/rules.md, "Edge rules"). The edge closes the equipment
/// loop: it writes device tags and emits events to the platform over its own MQTT connection. Alarms, computed tags
/// and webhooks belong to the platform's production loop, so the edge refuses them instead of silently ignoring them.
/// Both the platform (<c>PUT /api/v1/edges/{id}/rules</c>) and the edge (before it applies pushed rules) check
/// against this profile, so a rule set the platform accepted is refused by the edge only for what the platform
/// cannot know (the edge's local tags).
/// </summary>
public static class EdgeRuleProfile
{
    /// <summary>The topic edge events go to unless a rule names a subtopic: <c>fabrica/edges/{edgeId}/events</c>.</summary>
    public static string EventsTopic(string edgeId) => $"fabrica/edges/{edgeId}/events";

    /// <summary>
    /// Fills in what the edge defaults: an MQTT <c>emitEvent</c> without a topic goes to <see cref="EventsTopic"/>.
    /// Rules that need nothing filled in are returned as they are (same instance, same fingerprint).
    /// </summary>
    public static IReadOnlyList<RuleDefinition> Normalize(IEnumerable<RuleDefinition> rules, string edgeId)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var topic = EventsTopic(edgeId);
        var result = new List<RuleDefinition>();
        foreach (var rule in rules)
        {
            if (rule?.Actions is not { } actions || !actions.Any(a => a is EmitEventAction { Target: EventTarget.Mqtt, Topic: null or "" }))
            {
                result.Add(rule!);
                continue;
            }
            result.Add(rule with
            {
                Actions = [.. actions.Select(a => a is EmitEventAction { Target: EventTarget.Mqtt, Topic: null or "" } emit ? emit with { Topic = topic } : a)],
            });
        }
        return result;
    }

    /// <summary>Every action of <paramref name="rules"/> the edge cannot run, as errors naming the rule and the action.</summary>
    public static IReadOnlyList<RuleError> Check(IEnumerable<RuleDefinition> rules, string edgeId)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var errors = new List<RuleError>();
        var topic = EventsTopic(edgeId);
        foreach (var rule in rules)
        {
            if (rule?.Actions is not { } actions)
                continue;
            for (var i = 0; i < actions.Count; i++)
            {
                var path = $"actions[{i}]";
                var problem = actions[i] switch
                {
                    AlarmAction => "alarms are raised by the platform's rules; at the edge use emitEvent (the platform records edge events) or writeTag",
                    SetTagAction => "computed tags live in the platform's twins; at the edge use writeTag to write a device tag",
                    EmitEventAction { Target: EventTarget.Webhook } => "the edge sends events to the platform over MQTT only; use \"target\": \"mqtt\"",
                    EmitEventAction { Target: EventTarget.Mqtt, Topic: { Length: > 0 } t } when t != topic && !t.StartsWith(topic + "/", StringComparison.Ordinal) =>
                        $"'{t}' is outside the edge's events topic; leave the topic out (it defaults to '{topic}') or use a subtopic of it",
                    _ => null,
                };
                if (problem is not null)
                    errors.Add(new RuleError(rule.Id ?? "", path, problem));
            }
        }
        return errors;
    }
}
