namespace Fabrica.Security.Principals;

/// <summary>
/// What an API token may do. Roles are ordered: each one includes everything the roles below it may do,
/// so a route states the least role it needs (<see cref="FabricaPrincipal.HasRole"/>).
/// </summary>
public enum Role
{
    /// <summary>Reads data, models and configuration.</summary>
    Viewer = 1,

    /// <summary>Runs the plant: acknowledges alarms, sends commands.</summary>
    Operator = 2,

    /// <summary>Changes configuration: devices, models, rules.</summary>
    Engineer = 3,

    /// <summary>Manages access: tokens, gateways, audit.</summary>
    Admin = 4,
}

public static class Roles
{
    /// <summary>Parses a role name as users type it (<c>viewer</c>, <c>Operator</c>…); numbers are not role names.</summary>
    public static bool TryParse(string? value, out Role role)
    {
        role = default;
        if (string.IsNullOrWhiteSpace(value) || !char.IsAsciiLetter(value[0]))
            return false;
        return Enum.TryParse(value, ignoreCase: true, out role) && Enum.IsDefined(role);
    }

    /// <summary>The lower-case name used in the command line, JSON and the audit log.</summary>
    public static string ToName(this Role role) => role switch
    {
        Role.Viewer => "viewer",
        Role.Operator => "operator",
        Role.Engineer => "engineer",
        Role.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
    };
}
