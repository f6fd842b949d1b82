using Fabrica.Identifiers.DigitalLink;
using Fabrica.Identifiers.Http;
using Fabrica.Security.Principals;
using Fabrica.Server.Auth;
using Microsoft.AspNetCore.Http.Features;

namespace Fabrica.Server.Api;

/// <summary>
/// The public GS1 Digital Link resolver (issue 6, scope 3): <c>/{primary key AI}/{value}[/{qualifier}/{value}]…</c>
/// for every primary key of the Digital Link standard, and the resolver description file
/// <c>/.well-known/gs1resolver</c>. No token needed (GS1-Conformant resolver: public, CORS, GET/HEAD/OPTIONS); a
/// viewer token additionally sees links that are not public.
/// </summary>
internal static class DigitalLinkApi
{
    private const string Methods = "GET, HEAD, OPTIONS";

    public static IEndpointRouteBuilder MapDigitalLinkApi(this IEndpointRouteBuilder app)
    {
        string[] verbs = ["GET", "HEAD", "OPTIONS"];
        foreach (var key in DigitalLinkResolver.SupportedPrimaryKeys)
        {
            app.MapMethods("/" + key + "/{**rest}", verbs, Resolve).AllowAnonymous().WithTags("GS1 Digital Link")
                .WithName("DigitalLink" + key).WithSummary($"GS1 Digital Link resolver for primary key ({key})")
                .WithDescription("Redirects (307) to the default link or the one of ?linkType=, passing the query string on; returns the RFC 9264 linkset for linkType=linkset or Accept: application/linkset+json; 400 for an invalid Digital Link URI, 404 when no link fits.");
        }
        app.MapMethods("/.well-known/gs1resolver", verbs, Description).AllowAnonymous().WithTags("GS1 Digital Link")
            .WithName("Gs1ResolverDescription").WithSummary("GS1 resolver description file")
            .WithDescription("Name, resolver root, supported primary keys and link-type namespaces of this resolver (GS1-Conformant resolver standard).");
        return app;
    }

    private static async Task Resolve(HttpContext http, DigitalLinkResolver resolver, HandleRestService rest)
    {
        var request = http.Request;
        var response = http.Response;
        Cors(response);
        // The per-client limit of public resolution (issue 5) covers scans too: 429 with Retry-After.
        if (rest.Throttle(http.Connection.RemoteIpAddress, request.Path) is not null)
        {
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            response.Headers.RetryAfter = "1";
            return;
        }
        var root = $"{request.Scheme}://{request.Host}{request.PathBase}";
        // The raw target keeps percent-encoding as sent (a %2F inside a serial must not split the path).
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        if (target.StartsWith("http", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(target, UriKind.Absolute, out var absolute))
            target = absolute.PathAndQuery;
        if (request.PathBase.HasValue && target.StartsWith(request.PathBase.Value!, StringComparison.Ordinal))
            target = target[request.PathBase.Value!.Length..];
        var authorised = http.User.Principal()?.HasRole(Role.Viewer) == true;
        var answer = resolver.Resolve(root, target, request.Headers.Accept.ToString(), authorised);
        foreach (var link in answer.Links)
            response.Headers.Append("Link", link);
        response.Headers.Vary = "Accept";
        if (HttpMethods.IsOptions(request.Method))
        {
            // A preflight or capability probe: the methods, CORS headers and the linkset link, no redirect.
            response.StatusCode = answer.Status == 400 ? 400 : StatusCodes.Status204NoContent;
            response.Headers.Allow = Methods;
            return;
        }
        response.StatusCode = answer.Status;
        if (answer.Location is not null)
            response.Headers.Location = answer.Location;
        if (answer.ContentType is not null)
            response.ContentType = answer.ContentType;
        if (answer.Body.Length > 0)
        {
            response.ContentLength = answer.Body.Length;
            if (!HttpMethods.IsHead(request.Method))
                await response.Body.WriteAsync(answer.Body, http.RequestAborted);
        }
    }

    private static async Task Description(HttpContext http)
    {
        var request = http.Request;
        Cors(http.Response);
        if (HttpMethods.IsOptions(request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            http.Response.Headers.Allow = Methods;
            return;
        }
        var body = DigitalLinkResolver.Description($"{request.Scheme}://{request.Host}{request.PathBase}");
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(request.Method))
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    /// <summary>CORS for any origin (resolver standard: SHALL support CORS), exposing what a browser client needs to follow links.</summary>
    private static void Cors(HttpResponse response)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlAllowMethods = Methods;
        response.Headers.AccessControlAllowHeaders = "Accept, Accept-Language, Authorization, Content-Type";
        response.Headers.AccessControlExposeHeaders = "Link, Location, Content-Type, Vary";
    }
}
