namespace Fabrica.Platform.Models;

/// <summary>
/// One problem in a model: the field, as a JSON-like path that names the asset, type or rule by id
/// (<c>assets['cnc-3'].type</c>), and a message that names the asset's path and says what is wrong.
/// </summary>
public sealed record ModelError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>A change would make the model invalid; <see cref="Errors"/> lists every problem. Nothing was changed.</summary>
public sealed class ModelValidationException : Exception
{
    public ModelValidationException(IReadOnlyList<ModelError> errors)
        : base(errors.Count == 1 ? errors[0].ToString() : $"{errors.Count} problems: " + string.Join("; ", errors)) => Errors = errors;

    public ModelValidationException(string field, string message)
        : this([new ModelError(field, message)])
    {
    }

    public ModelValidationException()
        : this([])
    {
    }

    public ModelValidationException(string message, Exception innerException)
        : base(message, innerException) => Errors = [];

    public ModelValidationException(string message)
        : base(message) => Errors = [];

    public IReadOnlyList<ModelError> Errors { get; }

    /// <summary>The errors grouped by field, as an RFC 9457 validation problem carries them.</summary>
    public Dictionary<string, string[]> ToDictionary() =>
        Errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);
}

/// <summary>The thing to change does not exist.</summary>
public sealed class ModelNotFoundException(string message) : Exception(message)
{
    public ModelNotFoundException()
        : this("Not found.")
    {
    }

    public ModelNotFoundException(string message, Exception innerException)
        : this(message + " " + innerException.Message)
    {
    }
}
