namespace Fabrica.Rules;

/// <summary>
/// Limits with a deadband on each side. High: becomes active above RaiseAbove, stays active until below ClearBelow.
/// Low: becomes active below RaiseBelow, stays active until above ClearAbove. NaN (no usable value) keeps the state,
/// so a bad reading neither raises nor clears.
/// </summary>
internal readonly struct Hysteresis(Limits limits)
{
    private readonly bool _high = limits.RaiseAbove.HasValue;
    private readonly bool _low = limits.RaiseBelow.HasValue;
    private readonly double _raiseAbove = limits.RaiseAbove ?? double.NaN;
    private readonly double _clearBelow = limits.ClearBelow ?? limits.RaiseAbove ?? double.NaN;
    private readonly double _raiseBelow = limits.RaiseBelow ?? double.NaN;
    private readonly double _clearAbove = limits.ClearAbove ?? limits.RaiseBelow ?? double.NaN;

    public bool Next(bool active, double value)
    {
        if (double.IsNaN(value))
            return active;
        if ((_high && value > _raiseAbove) || (_low && value < _raiseBelow))
            return true;
        if (!active)
            return false;
        return (_high && value >= _clearBelow) || (_low && value <= _clearAbove);
    }

    /// <summary>Checks the limits of one condition; appends a message per problem.</summary>
    public static void Validate(Limits limits, string path, RuleErrorCollector errors)
    {
        if (limits.RaiseAbove is null && limits.RaiseBelow is null)
            errors.Add(path, "needs 'raiseAbove', 'raiseBelow' or both");
        if (limits.ClearBelow is not null && limits.RaiseAbove is null)
            errors.Add(path + ".clearBelow", "has no 'raiseAbove' to clear");
        if (limits.ClearAbove is not null && limits.RaiseBelow is null)
            errors.Add(path + ".clearAbove", "has no 'raiseBelow' to clear");
        CheckFinite(limits.RaiseAbove, path + ".raiseAbove", errors);
        CheckFinite(limits.ClearBelow, path + ".clearBelow", errors);
        CheckFinite(limits.RaiseBelow, path + ".raiseBelow", errors);
        CheckFinite(limits.ClearAbove, path + ".clearAbove", errors);
        if (limits is { RaiseAbove: { } ra, ClearBelow: { } cb } && cb > ra)
            errors.Add(path + ".clearBelow", $"is {cb}, above raiseAbove {ra}: the deadband must lie below the limit");
        if (limits is { RaiseBelow: { } rb, ClearAbove: { } ca } && ca < rb)
            errors.Add(path + ".clearAbove", $"is {ca}, below raiseBelow {rb}: the deadband must lie above the limit");
        if (limits is { RaiseAbove: { } high, RaiseBelow: { } low } && low >= high)
            errors.Add(path, $"raiseBelow {low} is not below raiseAbove {high}: the rule would always be active");
    }

    private static void CheckFinite(double? value, string path, RuleErrorCollector errors)
    {
        if (value is { } v && !double.IsFinite(v))
            errors.Add(path, "must be a finite number");
    }
}
