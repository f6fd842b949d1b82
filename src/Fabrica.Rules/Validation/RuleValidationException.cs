namespace Fabrica.Rules;

/// <summary>A rule or rule set is invalid; <see cref="Errors"/> lists every problem, each naming its rule.</summary>
public sealed class RuleValidationException : Exception
{
    public RuleValidationException(IReadOnlyList<RuleError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public RuleValidationException()
    {
        Errors = [];
    }

    public RuleValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    public RuleValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<RuleError> Errors { get; }

    private static string Describe(IReadOnlyList<RuleError> errors) => errors.Count switch
    {
        0 => "The rules are invalid.",
        1 => errors[0].ToString(),
        _ => $"{errors.Count} problems: " + string.Join("; ", errors),
    };
}
