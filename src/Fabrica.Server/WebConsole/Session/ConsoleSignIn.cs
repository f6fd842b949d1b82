using System.Diagnostics.Metrics;
using Fabrica.Security.Authentication;
using Fabrica.Security.Principals;
using Fabrica.Server.Auth;
using Microsoft.AspNetCore.Authentication;

namespace Fabrica.Server.WebConsole.Session;

/// <summary>
/// Checks a pasted API token and starts a session for it. Device and gateway tokens are refused: the console is for
/// people, who act through roles. Refusals are audited by the security library, like a refused bearer token.
/// </summary>
internal sealed partial class ConsoleSignIn(CredentialAuthenticator authenticator, SessionRevalidation sessions, ILogger<ConsoleSignIn> logger, IMeterFactory meters)
{
    public const string MeterName = "Fabrica.Console";

    private readonly Counter<long> _signIns = meters.Create(MeterName).CreateCounter<long>(
        "fabrica.console.sign_ins", "{sign-in}", "Console sign-ins by outcome: ok, refused (unknown token), device_token, failed.");

    /// <summary>Signs in; null on success, otherwise the reason to show (never the token, never an exception).</summary>
    public async Task<string?> SignInAsync(HttpContext http, string? token)
    {
        token = token?.Trim();
        if (string.IsNullOrEmpty(token))
            return "Paste an API token (fba_…).";
        FabricaPrincipal? principal;
        try
        {
            principal = await authenticator.AuthenticateBearerAsync(token, CallerAccess.RemoteSource(http), http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSignInFailed(logger, e);
            _signIns.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            return "Signing in failed on the server; try again, or ask the administrator to look at the server log.";
        }
        if (principal is null)
        {
            LogSignInRefused(logger, CallerAccess.RemoteSource(http));
            _signIns.Add(1, new KeyValuePair<string, object?>("outcome", "refused"));
            return "This token is unknown, revoked or malformed.";
        }
        if (principal.Kind != PrincipalKind.ApiToken || principal.Role is null)
        {
            _signIns.Add(1, new KeyValuePair<string, object?>("outcome", "device_token"));
            return "This is a device or gateway token. Sign in with an API token (fba_…).";
        }
        sessions.Forget(principal.Id);
        await http.SignInAsync(ConsoleSession.Scheme, ConsoleSession.ToCookiePrincipal(principal)).ConfigureAwait(false);
        LogSignedIn(logger, principal.Id, principal.Role.Value);
        _signIns.Add(1, new KeyValuePair<string, object?>("outcome", "ok"));
        return null;
    }

    /// <summary>Only local paths: an open redirect to another site after sign-in would help phishing.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Console session started for API token {TokenId} ({Role})")]
    private static partial void LogSignedIn(ILogger logger, string tokenId, Role role);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "Console sign-in refused from {Source}")]
    private static partial void LogSignInRefused(ILogger logger, string source);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Error, Message = "Console sign-in failed")]
    private static partial void LogSignInFailed(ILogger logger, Exception exception);
}
