namespace Fabrica.Rules;

/// <summary>One problem in one rule: which rule, where in it (a JSON-like path), and what is wrong.</summary>
/// <param name="RuleId">The rule's id as written (may be empty when the id itself is the problem).</param>
/// <param name="Path">Where in the rule, e.g. <c>condition.condition.tag</c> or <c>actions[1].value</c>.</param>
/// <param name="Position">For expressions, the 0-based character position of the problem in the expression.</param>
public sealed record RuleError(string RuleId, string Path, string Message, int? Position = null)
{
    public override string ToString() => $"rule '{RuleId}': {Path}: {Message}";
}

/// <summary>Collects the errors of one rule while it is checked, so that every problem is reported at once.</summary>
internal sealed class RuleErrorCollector(string ruleId, List<RuleError> errors)
{
    public string RuleId { get; } = ruleId;

    public int Count { get; private set; }

    public void Add(string path, string message, int? position = null)
    {
        errors.Add(new RuleError(RuleId, path, message, position));
        Count++;
    }
}
