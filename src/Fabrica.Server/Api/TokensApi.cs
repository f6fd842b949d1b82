using Fabrica.Security.ApiTokens;
using Fabrica.Security.Principals;
using Fabrica.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fabrica.Server.Api;

/// <summary>API tokens (admin only): create with a role, list, revoke. A token's secret is shown once.</summary>
internal static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder tokens)
    {
        tokens.RequireAuthorization(Policies.Admin);
        tokens.MapPost("/", Create).WithName("CreateApiToken").WithSummary("Create an API token with a role (viewer, operator, engineer, admin)");
        tokens.MapGet("/", List).WithName("ListApiTokens").WithSummary("List API tokens (never their secrets)");
        tokens.MapDelete("/{tokenId}", Revoke).WithName("RevokeApiToken").WithSummary("Revoke an API token at once");
        return tokens;
    }

    private static async Task<Results<Created<TokenCreated>, ValidationProblem>> Create(
        TokenRequest request, HttpContext http, ApiTokenService service, CancellationToken cancellationToken)
    {
        if (!Roles.TryParse(request.Role, out var role))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = ["Use viewer, operator, engineer or admin."] });
        try
        {
            var created = await service.CreateAsync(request.Name, role, http.AuditCaller(), cancellationToken);
            return TypedResults.Created($"/api/v1/tokens/{created.ApiToken.Id}",
                new TokenCreated(created.ApiToken.Id, created.ApiToken.Name, role.ToName(), created.Token));
        }
        catch (ArgumentException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.ParamName ?? "name"] = [e.Message] });
        }
    }

    private static async Task<Ok<IReadOnlyList<TokenView>>> List(ApiTokenService service, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<TokenView>>((await service.ListAsync(cancellationToken))
            .Select(t => new TokenView(t.Id, t.Name, t.Role.ToName(), t.CreatedAt, t.LastUsedAt, t.RevokedAt)).ToList());

    private static async Task<Results<NoContent, NotFound>> Revoke(
        string tokenId, HttpContext http, ApiTokenService service, CancellationToken cancellationToken) =>
        await service.RevokeAsync(tokenId, http.AuditCaller(), cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
}

internal sealed record TokenRequest(string Name, string Role);

/// <param name="Token">The bearer token. Shown only in this answer.</param>
internal sealed record TokenCreated(string Id, string Name, string Role, string Token);

internal sealed record TokenView(string Id, string Name, string Role, long CreatedAt, long? LastUsedAt, long? RevokedAt);
