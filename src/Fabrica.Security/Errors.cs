using Fabrica.Security.Principals;

namespace Fabrica.Security;

/// <summary>An id that <see cref="NamingRules.IsValidDeviceId"/> refuses (HTTP 400).</summary>
public sealed class InvalidIdException : ArgumentException
{
    public InvalidIdException(PrincipalKind kind, string? id)
        : base($"'{id}' is not a valid {KindName(kind)} id: use 1 to {NamingRules.MaxDeviceIdLength} letters, digits, '-', '_' or '.'.", "id")
    {
        Kind = kind;
        Id = id;
    }

    public PrincipalKind Kind { get; }

    public string? Id { get; }

    internal static string KindName(PrincipalKind kind) => kind switch
    {
        PrincipalKind.Device => "device",
        PrincipalKind.Gateway => "gateway",
        _ => "API token",
    };
}

/// <summary>A device or gateway with this id already exists (HTTP 409).</summary>
public sealed class DuplicateIdException(PrincipalKind kind, string id, Exception? innerException = null)
    : Exception($"A {InvalidIdException.KindName(kind)} with id '{id}' already exists.", innerException)
{
    public PrincipalKind Kind { get; } = kind;

    public string Id { get; } = id;
}

/// <summary>An operation names a device or gateway that does not exist (HTTP 404).</summary>
public sealed class IdentityNotFoundException(PrincipalKind kind, string id)
    : Exception($"No {InvalidIdException.KindName(kind)} with id '{id}' exists.")
{
    public PrincipalKind Kind { get; } = kind;

    public string Id { get; } = id;
}
