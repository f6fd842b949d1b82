namespace Fabrica.Rules;

/// <summary>Checks a definition and compiles it; reports every problem through the collector.</summary>
internal static class RuleCompiler
{
    private const int MaxConditionNesting = 8;

    public static CompiledRule? Compile(RuleDefinition rule, RuleCompileOptions options, List<RuleError> sink)
    {
        var errors = new RuleErrorCollector(rule.Id ?? "", sink);
        if (string.IsNullOrEmpty(rule.Id) || !NamingRules.IsValidDeviceId(rule.Id))
            errors.Add("id", $"'{rule.Id}' is not a valid id (1–{RuleDefinition.MaxIdLength} letters, digits, '-', '_', '.')");
        if (string.IsNullOrWhiteSpace(rule.Name))
            errors.Add("name", "is empty");
        if (rule.Priority is < 1 or > 4)
            errors.Add("priority", $"is {rule.Priority}; priorities run from 1 (most urgent) to 4");
        if (!Enum.IsDefined(rule.Severity))
            errors.Add("severity", $"'{rule.Severity}' is not a severity");

        var scope = CompileScope(rule, options, errors, out var tags, out var devices, out var perDevice);
        var expressionScope = ExpressionScope.Closed(scope);
        var condition = rule.Condition is null
            ? Missing<ConditionPlan>(errors, "condition")
            : CompileCondition(rule.Condition, "condition", 0, scope, expressionScope, errors);
        var actions = CompileActions(rule, perDevice, expressionScope, errors);
        if (errors.Count > 0 || condition is null)
            return null;
        return new CompiledRule
        {
            Definition = rule,
            Slots = scope,
            SlotTags = tags,
            SlotDevices = devices,
            PerDevice = perDevice,
            Condition = condition,
            Actions = actions,
            Fingerprint = RuleJson.Write(rule with { Enabled = true }),
        };
    }

    private static string[] CompileScope(RuleDefinition rule, RuleCompileOptions options, RuleErrorCollector errors, out string[] tags, out string?[] devices, out bool perDevice)
    {
        var scope = rule.Scope?.ToArray() ?? [];
        tags = new string[scope.Length];
        devices = new string?[scope.Length];
        perDevice = true;
        if (scope.Length == 0)
        {
            errors.Add("scope", "lists no tags; a rule reads at least one");
            return scope;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int qualified = 0;
        for (var i = 0; i < scope.Length; i++)
        {
            var entry = scope[i] ?? "";
            scope[i] = entry;
            var path = $"scope[{i}]";
            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                qualified++;
                devices[i] = entry[..slash];
                tags[i] = entry[(slash + 1)..];
                if (!NamingRules.IsValidDeviceId(devices[i]) || !NamingRules.IsValidTag(tags[i]))
                    errors.Add(path, $"'{entry}' is not a valid device/tag");
            }
            else
            {
                tags[i] = entry;
                if (!NamingRules.IsValidTag(entry))
                    errors.Add(path, $"'{entry}' is not a valid tag name");
            }
            if (!seen.Add(entry))
                errors.Add(path, $"'{entry}' is listed twice");
            else if (options.KnownTags is { } known && !known.Contains(entry))
                errors.Add(path, $"unknown tag '{entry}'");
        }
        if (qualified > 0 && qualified < scope.Length)
            errors.Add("scope", "mixes device/tag entries with plain tags; a rule reads either fixed series or the same tags of each device");
        perDevice = qualified == 0;
        return scope;
    }

    private static ConditionPlan? CompileCondition(RuleCondition condition, string path, int nesting, string[] scope, ExpressionScope expressionScope, RuleErrorCollector errors)
    {
        if (nesting >= MaxConditionNesting)
        {
            errors.Add(path, $"conditions nest deeper than {MaxConditionNesting} levels");
            return null;
        }
        switch (condition)
        {
            case ThresholdCondition threshold:
                {
                    var slot = Slot(threshold.Tag, path + ".tag", scope, errors);
                    Hysteresis.Validate(threshold.Limits, path, errors);
                    return slot < 0 ? null : new ThresholdPlan(slot, threshold.Limits);
                }
            case ForDurationCondition forDuration:
                {
                    var ok = Positive(forDuration.Duration, path + ".duration", errors);
                    var inner = forDuration.Condition is null
                        ? Missing<ConditionPlan>(errors, path + ".condition")
                        : CompileCondition(forDuration.Condition, path + ".condition", nesting + 1, scope, expressionScope, errors);
                    return ok && inner is not null ? new ForDurationPlan(inner, (long)forDuration.Duration.TotalMilliseconds) : null;
                }
            case RateOfChangeCondition rate:
                {
                    var slot = Slot(rate.Tag, path + ".tag", scope, errors);
                    var ok = Positive(rate.Window, path + ".window", errors);
                    Hysteresis.Validate(rate.Limits, path, errors);
                    return slot >= 0 && ok ? new RateOfChangePlan(slot, (long)rate.Window.TotalMilliseconds, rate.Limits) : null;
                }
            case StaleCondition stale:
                {
                    var slot = Slot(stale.Tag, path + ".tag", scope, errors);
                    var ok = Positive(stale.After, path + ".after", errors);
                    return slot >= 0 && ok ? new StalePlan(slot, (long)stale.After.TotalMilliseconds) : null;
                }
            case ExpressionCondition expression:
                {
                    var compiled = Expression(expression.Expression, path + ".expression", expressionScope, errors);
                    if (compiled is null)
                        return null;
                    if (!compiled.IsBoolean)
                    {
                        errors.Add(path + ".expression", $"'{compiled.Text}' is a number, not a condition; compare it, e.g. '{compiled.Text} > 0'");
                        return null;
                    }
                    var slots = new HashSet<int>();
                    CollectSlots(compiled.Root, slots);
                    return new ExpressionPlan(compiled, [.. slots]);
                }
            case StatisticalCondition statistical:
                return CompileStatistical(statistical, path, scope, errors);
            default:
                errors.Add(path, "is not a known kind of condition");
                return null;
        }
    }

    private static StatisticalPlan? CompileStatistical(StatisticalCondition statistical, string path, string[] scope, RuleErrorCollector errors)
    {
        var before = errors.Count;
        var slot = Slot(statistical.Tag, path + ".tag", scope, errors);
        if (!(statistical.K > 0) || !double.IsFinite(statistical.K))
            errors.Add(path + ".k", $"is {statistical.K}; k must be a positive number of standard deviations");
        var clearK = statistical.ClearK ?? statistical.K;
        if (!(clearK > 0) || clearK > statistical.K)
            errors.Add(path + ".clearK", $"is {clearK}; it must be positive and at most k ({statistical.K})");
        if (statistical.Samples is null == statistical.Window is null)
            errors.Add(path, "needs exactly one of 'samples' (a count) or 'window' (a duration)");
        if (statistical.Samples is { } count && count is < 2 or > RateOfChangePlan.MaxSamples)
            errors.Add(path + ".samples", $"is {count}; a window holds 2 to {RateOfChangePlan.MaxSamples} samples");
        if (statistical.Window is { } window)
            Positive(window, path + ".window", errors);
        if (statistical.MinSamples < 2 || (statistical.Samples is { } n && statistical.MinSamples > n))
            errors.Add(path + ".minSamples", $"is {statistical.MinSamples}; it must be at least 2 and at most the window's samples");
        if (errors.Count > before || slot < 0)
            return null;
        return new StatisticalPlan(slot, statistical.K, clearK, statistical.Samples ?? RateOfChangePlan.MaxSamples,
            (long)(statistical.Window ?? TimeSpan.Zero).TotalMilliseconds, statistical.MinSamples);
    }

    private static CompiledAction[] CompileActions(RuleDefinition rule, bool perDevice, ExpressionScope expressionScope, RuleErrorCollector errors)
    {
        var actions = rule.Actions ?? [];
        var compiled = new List<CompiledAction>(actions.Count);
        for (var i = 0; i < actions.Count; i++)
        {
            var path = $"actions[{i}]";
            RuleExpression? value = null;
            switch (actions[i])
            {
                case AlarmAction alarm:
                    if (alarm.Priority is < 1 or > 4)
                        errors.Add(path + ".priority", $"is {alarm.Priority}; priorities run from 1 (most urgent) to 4");
                    break;
                case WriteTagAction write:
                    TagName(write.Tag, path + ".tag", errors);
                    if (write.Device is { } device && !NamingRules.IsValidDeviceId(device))
                        errors.Add(path + ".device", $"'{device}' is not a valid device id");
                    if (write.Device is null && !perDevice)
                        errors.Add(path + ".device", "is required: the rule reads fixed series, so there is no instance device to write to");
                    value = Expression(write.Value, path + ".value", expressionScope, errors);
                    break;
                case SetTagAction set:
                    TagName(set.Tag, path + ".tag", errors);
                    value = Expression(set.Value, path + ".value", expressionScope, errors);
                    break;
                case EmitEventAction emit:
                    if (emit.Target == EventTarget.Mqtt && (string.IsNullOrEmpty(emit.Topic) || emit.Topic.AsSpan().IndexOfAny('+', '#') >= 0))
                        errors.Add(path + ".topic", "an MQTT event needs a topic without wildcards");
                    else if (emit.Target == EventTarget.Webhook
                        && !(Uri.TryCreate(emit.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
                        errors.Add(path + ".url", $"'{emit.Url}' is not an absolute http or https URL");
                    else if (!Enum.IsDefined(emit.Target))
                        errors.Add(path + ".target", "must be 'mqtt' or 'webhook'");
                    break;
                case null:
                    errors.Add(path, "is empty");
                    continue;
                default:
                    errors.Add(path, "is not a known kind of action");
                    continue;
            }
            compiled.Add(new CompiledAction(actions[i], value));
        }
        return [.. compiled];
    }

    private static RuleExpression? Expression(string? text, string path, ExpressionScope scope, RuleErrorCollector errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(path, "is empty");
            return null;
        }
        try
        {
            return RuleExpression.Parse(text, scope);
        }
        catch (RuleExpressionException e)
        {
            errors.Add(path, $"{e.Reason} at position {e.Position} in '{text}'", e.Position);
            return null;
        }
    }

    private static int Slot(string? tag, string path, string[] scope, RuleErrorCollector errors)
    {
        var slot = tag is null ? -1 : Array.IndexOf(scope, tag);
        if (slot < 0)
            errors.Add(path, tag is null ? "is missing" : $"tag '{tag}' is not in the rule's scope");
        return slot;
    }

    private static void TagName(string? tag, string path, RuleErrorCollector errors)
    {
        if (tag is null || !NamingRules.IsValidTag(tag))
            errors.Add(path, $"'{tag}' is not a valid tag name");
    }

    private static bool Positive(TimeSpan duration, string path, RuleErrorCollector errors)
    {
        if (duration > TimeSpan.Zero && duration.TotalMilliseconds >= 1)
            return true;
        errors.Add(path, $"is {DurationJsonConverter.Format(duration)}; a duration must be positive");
        return false;
    }

    private static T? Missing<T>(RuleErrorCollector errors, string path)
        where T : class
    {
        errors.Add(path, "is missing");
        return null;
    }

    private static void CollectSlots(ExpressionNode node, HashSet<int> slots)
    {
        if (node is TagReference tag)
            slots.Add(tag.Slot);
        foreach (var child in node.Children)
            CollectSlots(child, slots);
    }
}
