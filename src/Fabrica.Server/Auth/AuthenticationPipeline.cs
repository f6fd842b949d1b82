using Microsoft.Net.Http.Headers;

namespace Fabrica.Server.Auth;

/// <summary>
/// Runs the authentication middleware only for requests that carry credentials. The only HTTP scheme is
/// <see cref="BearerTokenHandler"/>, which reads nothing but the <c>Authorization</c> header and answers "no result"
/// without it, so skipping it leaves such requests anonymous exactly as before — without the per-request handler
/// creation and scheme lookup that showed as a large share of a public resolution (docs/benchmarks.md, "Identifier
/// resolution on a quiet machine"). Authorization still runs for every request, and challenges still go through the
/// Bearer scheme (the authentication service resolves the handler itself), so protected routes answer 401 as before.
/// </summary>
internal static class AuthenticationPipeline
{
    public static IApplicationBuilder UseBearerAuthentication(this IApplicationBuilder app) =>
        app.UseWhen(static context => context.Request.Headers.ContainsKey(HeaderNames.Authorization), static branch => branch.UseAuthentication());
}
