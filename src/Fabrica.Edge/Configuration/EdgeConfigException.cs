namespace Fabrica.Edge.Configuration;

/// <summary>One fault in the configuration: a JSON path into the file and what to write instead.</summary>
public sealed record EdgeConfigError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>The configuration cannot be used; <see cref="Errors"/> lists every fault found, each with its path and fix.</summary>
public sealed class EdgeConfigException : Exception
{
    public EdgeConfigException(string source, IReadOnlyList<EdgeConfigError> errors)
        : base($"{source}: {errors.Count} configuration error(s):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors))
    {
        Errors = errors;
    }

    public EdgeConfigException()
        : this("edge configuration", [])
    {
    }

    public EdgeConfigException(string message)
        : base(message)
    {
        Errors = [];
    }

    public EdgeConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<EdgeConfigError> Errors { get; }
}
