using System.Security.Claims;
using Fabrica.Security.Principals;

namespace Fabrica.Server.Auth;

/// <summary>
/// The claims identity of an authenticated Fabrica caller. It carries the <see cref="FabricaPrincipal"/> itself,
/// so routes ask the security model (<see cref="FabricaPrincipal.CanReadDevice"/>) instead of re-deriving rules from
/// claims, and a role claim for the token's role and every lower one, so policies are plain role checks.
/// </summary>
internal sealed class FabricaIdentity : ClaimsIdentity
{
    public FabricaIdentity(FabricaPrincipal principal, string scheme)
        : base(BuildClaims(principal), scheme, ClaimTypes.Name, ClaimTypes.Role) => Principal = principal;

    public FabricaPrincipal Principal { get; }

    private static IEnumerable<Claim> BuildClaims(FabricaPrincipal principal)
    {
        yield return new Claim(ClaimTypes.Name, principal.Actor);
        foreach (var role in Enum.GetValues<Role>())
        {
            if (principal.HasRole(role))
                yield return new Claim(ClaimTypes.Role, role.ToString());
        }
    }
}

/// <summary>Access checks on the current HTTP user, answered by the security model.</summary>
internal static class CallerAccess
{
    public static FabricaPrincipal? Principal(this ClaimsPrincipal user) =>
        user.Identities.OfType<FabricaIdentity>().FirstOrDefault()?.Principal;

    public static bool CanReadDevice(this ClaimsPrincipal user, string deviceId) => user.Principal()?.CanReadDevice(deviceId) == true;

    public static bool CanPublishFor(this ClaimsPrincipal user, string deviceId) => user.Principal()?.CanPublishFor(deviceId) == true;

    /// <summary>Who did it and from where, as the audit log records it.</summary>
    public static Security.Caller AuditCaller(this HttpContext http) =>
        new(http.User.Principal()?.Actor ?? "unauthenticated", RemoteSource(http));

    public static string RemoteSource(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip ? $"{ip}:{http.Connection.RemotePort}" : "local";
}
