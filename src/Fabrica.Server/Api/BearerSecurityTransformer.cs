using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Fabrica.Server.Api;

/// <summary>
/// Declares the bearer token scheme in the OpenAPI document and requires it on every operation except the
/// public ones, so that generated clients and the API page (/scalar) send <c>Authorization: Bearer</c>.
/// </summary>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    private const string SchemeName = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Fabrica platform API";
        document.Info.Description = "Devices, telemetry ingest and queries. Every route needs `Authorization: Bearer <token>` "
            + "(an API token with a role, or a device or gateway token for its own data) unless marked public. "
            + "The first admin token is in `<data>/admin.token`.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "fba_… (API token), fbd_… (device token) or fbg_… (gateway token).",
        };
        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] };
        foreach (var (path, item) in document.Paths)
        {
            if (path == "/healthz" || item.Operations is null)
                continue;
            foreach (var operation in item.Operations.Values)
                (operation.Security ??= []).Add(requirement);
        }
        return Task.CompletedTask;
    }
}
