using System.Collections.Concurrent;
using System.Security.Claims;
using Fabrica.Security.ApiTokens;
using Fabrica.Security.Principals;
using Fabrica.Server.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace Fabrica.Server.WebConsole.Session;

/// <summary>
/// The console's session: a person pastes an API token once (docs/security.md), the server checks it and issues an
/// HTTP-only, SameSite=Strict cookie that names the token by its id and role — never the token itself. The cookie
/// is encrypted and signed with keys kept under <c>&lt;data&gt;/keys</c>, so sessions survive a restart, and each use
/// re-checks (at most every 30 s, the credential cache's lifetime) that the token is not revoked.
/// The REST API keeps accepting bearer tokens only; cookies are accepted by the console, its circuit and the event
/// stream, which a browser's EventSource cannot send a header to.
/// </summary>
internal static class ConsoleSession
{
    public const string Scheme = "FabricaSession";
    public const string CookieName = "fabrica_session";

    /// <summary>A signed-in person, for console pages and the Blazor circuit.</summary>
    public const string ConsolePolicy = "console";

    /// <summary>A bearer token or the console's cookie: the live event stream.</summary>
    public const string StreamPolicy = "stream";

    public const string TokenIdClaim = "fabrica:token";
    public const string RoleClaim = "fabrica:role";

    /// <summary>How long a token's state is trusted before a session re-reads it (as the credential cache does).</summary>
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddConsoleSession(this IServiceCollection services, string dataDirectory)
    {
        // The keys sign and encrypt session cookies: readable by the server's user only, like admin.token.
        var keys = Path.Combine(dataDirectory, "keys");
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(keys);
        else
            Directory.CreateDirectory(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        services.AddDataProtection()
            .SetApplicationName("fabrica")
            .PersistKeysToFileSystem(new DirectoryInfo(keys));
        services.AddSingleton<SessionRevalidation>();
        services.AddAuthentication()
            .AddCookie(Scheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                // The demo and many plant networks serve plain HTTP; behind TLS the cookie is marked Secure.
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/forbidden";
                o.ReturnUrlParameter = "returnUrl";
                o.Events.OnRedirectToLogin = ctx => Refuse(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => Refuse(ctx, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = ctx => ctx.HttpContext.RequestServices.GetRequiredService<SessionRevalidation>().ValidateAsync(ctx);
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(ConsolePolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser())
            .AddPolicy(StreamPolicy, p => p.AddAuthenticationSchemes(BearerTokenHandler.SchemeName, Scheme).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>The claims a session cookie carries: the token's id, name and role.</summary>
    public static ClaimsPrincipal ToCookiePrincipal(FabricaPrincipal principal)
    {
        var identity = new FabricaIdentity(principal, Scheme);
        identity.AddClaim(new Claim(TokenIdClaim, principal.Id));
        identity.AddClaim(new Claim(RoleClaim, principal.Role?.ToName() ?? ""));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>API routes answer 401/403; pages are sent to the sign-in page (or told they may not).</summary>
    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/_blazor"))
            ctx.Response.StatusCode = status;
        else
            ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>Turns a cookie back into the Fabrica caller, refusing it once its token is revoked or deleted.</summary>
internal sealed class SessionRevalidation(ApiTokenService tokens, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (long CheckedAt, ApiToken? Token)> _checked = new(StringComparer.Ordinal);

    public async Task ValidateAsync(Microsoft.AspNetCore.Authentication.Cookies.CookieValidatePrincipalContext ctx)
    {
        var id = ctx.Principal?.FindFirst(ConsoleSession.TokenIdClaim)?.Value;
        var token = id is null ? null : await FindAsync(id, ctx.HttpContext.RequestAborted).ConfigureAwait(false);
        if (token is null || token.IsRevoked)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(ConsoleSession.Scheme).ConfigureAwait(false);
            return;
        }
        // Role and name as they are now: the cookie only says which token signed in.
        ctx.ReplacePrincipal(ConsoleSession.ToCookiePrincipal(FabricaPrincipal.ForApiToken(token.Id, token.Name, token.Role)));
    }

    private async Task<ApiToken?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (_checked.TryGetValue(id, out var known) && time.GetElapsedTime(known.CheckedAt, now) < ConsoleSession.RecheckEvery)
            return known.Token;
        var token = (await tokens.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(t => t.Id == id);
        _checked[id] = (now, token);
        return token;
    }

    /// <summary>Forgets what it knew of a token (after a sign-in, so that a new session sees the token's current state).</summary>
    public void Forget(string id) => _checked.TryRemove(id, out _);
}
