using System.Text.Encodings.Web;
using Fabrica.Security.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Fabrica.Server.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c> for API, device and gateway tokens. Verification is the security
/// library's (one indexed lookup, constant-time compare, a short-lived cache); refusals are logged and audited there.
/// </summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CredentialAuthenticator authenticator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers[HeaderNames.Authorization];
        if (string.IsNullOrEmpty(header))
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("Use 'Authorization: Bearer <token>'.");
        var token = header["Bearer ".Length..].Trim();
        Security.Principals.FabricaPrincipal? principal;
        try
        {
            principal = await authenticator.AuthenticateBearerAsync(token, CallerAccess.RemoteSource(Context), Context.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The security library may fail to audit (e.g. a full disk); that is a refusal, never a pass.
            return AuthenticateResult.Fail(e);
        }
        if (principal is null)
            return AuthenticateResult.Fail("The token is unknown, revoked or malformed.");
        var identity = new FabricaIdentity(principal, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new System.Security.Claims.ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer realm=\"fabrica\"";
        return base.HandleChallengeAsync(properties);
    }
}
