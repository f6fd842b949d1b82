using Fabrica.Security.Principals;

namespace Fabrica.Server.Auth;

/// <summary>
/// Authorization policies by minimum role. A caller holds a role claim for its role and every lower one,
/// so "at least engineer" is simply "in role Engineer".
/// </summary>
internal static class Policies
{
    public const string Viewer = nameof(Role.Viewer);
    public const string Operator = nameof(Role.Operator);
    public const string Engineer = nameof(Role.Engineer);
    public const string Admin = nameof(Role.Admin);

    /// <summary>Any authenticated caller: device, gateway or API token. Routes then check the device in the path.</summary>
    public const string AnyCaller = "any-caller";

    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        foreach (var role in Enum.GetValues<Role>())
            options.AddPolicy(role.ToString(), p => p.RequireAuthenticatedUser().RequireRole(role.ToString()));
        options.AddPolicy(AnyCaller, p => p.RequireAuthenticatedUser());
        options.FallbackPolicy = options.GetPolicy(AnyCaller);
    }
}
