using System.Buffers;
using System.Text.Json;
using Fabrica.Identifiers.Http;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Resolution;
using Fabrica.Security.Audit;
using Fabrica.Security.Principals;
using Fabrica.Server.Auth;

namespace Fabrica.Server.Api;

/// <summary>
/// The Handle.Net-compatible REST API (HANDLE.NET 9 Technical Manual §14) at <c>/api/handles</c>, the path Handle
/// clients use. Every route is reachable anonymously so that refusals carry Handle.Net's JSON entity
/// (<c>responseCode</c> 402 with 401, 400 with 403); each handler checks the caller itself. Resolution of public values
/// is public; non-public values need a viewer token; changes need an engineer token and are audited.
/// </summary>
internal static class HandlesApi
{
    public static IEndpointRouteBuilder MapHandlesApi(this IEndpointRouteBuilder app)
    {
        var handles = app.MapGroup("/api/handles").WithTags("Handles").AllowAnonymous();
        handles.MapGet("/", List).WithName("ListHandles").WithSummary("List handles under ?prefix= (viewer); page and pageSize as Handle.Net");
        handles.MapGet("/{**handle}", Get).WithName("ResolveHandle").WithSummary("Resolve a handle; anonymous callers get public values only")
            .WithDescription("?index= and ?type= (repeatable; a type ending in '.' matches its subtypes) select values. Anonymous callers get only values with the public-read bit, and publicOnly=false without a token is 401 (responseCode 402). A viewer token — what the node issues to a partner enterprise — gets the non-public values too; over the native protocol partners authenticate by key instead (HS_ADMIN read-value permission, directly or through an HS_VLIST group). A handle of another node is resolved through the hierarchy when the node has --root, public values only.");
        handles.MapPut("/{**handle}", Put).WithName("PutHandle").WithSummary("Create or replace a handle, or values with ?index= (engineer)")
            .WithDescription("Body: a JSON array of Handle.Net values ({index, type, data: string | {format: string|base64|hex|admin|vlist|site, value}, ttl, permissions}). ?overwrite=false refuses an existing handle (409, responseCode 101); ?mintNewSuffix=true mints a suffix under the prefix; ?index= adds or replaces only those values. The node's own prefix records (0.NA/<prefix>) accept value changes this way, e.g. an HS_VLIST reader or administrator group and the HS_ADMIN pointing at it. The node signs the record (HS_SIGNATURE at index 400) and audits the change.");
        handles.MapDelete("/{**handle}", Delete).WithName("DeleteHandle").WithSummary("Delete a handle, or values with ?index= (engineer)");
        app.MapGet("/api/v1/identifiers/statistics/{prefix}", Statistics).RequireAuthorization(Policies.Viewer).WithTags("Handles")
            .WithName("ResolutionStatistics").WithSummary("Resolutions per day for a prefix over the last ?days= (default 30)");
        return app;
    }

    private static async Task<IResult> Get(string handle, HttpContext http, HandleRestService rest, CancellationToken cancellationToken)
    {
        if (rest.Throttle(http.Connection.RemoteIpAddress, handle) is { } throttled)
        {
            http.Response.Headers.RetryAfter = "1";
            return new Entity(throttled);
        }
        // Most resolutions carry no query: no per-request filter lists for them.
        var query = http.Request.Query;
        return new Entity(await rest.GetAsync(handle, query.Count == 0 ? [] : query["index"].OfType<string>().ToList(), query.Count == 0 ? [] : query["type"].OfType<string>().ToList(),
            query.TryGetValue("publicOnly", out var p) ? p.ToString() : null,
            http.User.Principal()?.HasRole(Role.Viewer) == true ? RestCaller.Reader : RestCaller.Anonymous, cancellationToken));
    }

    private static IResult List(HttpContext http, HandleRestService rest)
    {
        if (Refusal(http, Role.Viewer, http.Request.Query["prefix"].ToString()) is { } refused)
            return refused;
        return new Entity(rest.List(http.Request.Query["prefix"], http.Request.Query["page"], http.Request.Query["pageSize"]));
    }

    private static async Task<IResult> Put(string handle, HttpContext http, HandleRestService rest, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (Refusal(http, Role.Engineer, handle) is { } refused)
        {
            await AuditAsync(audit, http, "handle.put", handle, AuditOutcome.Denied, "role", cancellationToken);
            return refused;
        }
        var body = await ReadBodyAsync(http.Request, cancellationToken);
        if (body is null)
            return new Entity(HandleRestService.Error(ResponseCode.InvalidValue, handle, $"The request entity is larger than {HandleRestService.MaxBodyBytes} bytes"));
        RestAnswer answer;
        try
        {
            answer = await rest.PutAsync(handle, body, http.Request.Query["index"].OfType<string>().ToList(),
                http.Request.Query.TryGetValue("overwrite", out var o) ? o.ToString() : null,
                http.Request.Query.TryGetValue("mintNewSuffix", out var m) ? m.ToString() : null, cancellationToken);
        }
        catch (Exception e) when (e is Microsoft.EntityFrameworkCore.DbUpdateException or Microsoft.Data.Sqlite.SqliteException)
        {
            answer = HandleRestService.Error(ResponseCode.Error, handle, "The handle store could not be written; try again");
        }
        await AuditAsync(audit, http, "handle.put", handle, Outcome(answer), http.Request.QueryString.Value, cancellationToken);
        return new Entity(answer);
    }

    private static async Task<IResult> Delete(string handle, HttpContext http, HandleRestService rest, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (Refusal(http, Role.Engineer, handle) is { } refused)
        {
            await AuditAsync(audit, http, "handle.delete", handle, AuditOutcome.Denied, "role", cancellationToken);
            return refused;
        }
        RestAnswer answer;
        try
        {
            answer = await rest.DeleteAsync(handle, http.Request.Query["index"].OfType<string>().ToList(), cancellationToken);
        }
        catch (Exception e) when (e is Microsoft.EntityFrameworkCore.DbUpdateException or Microsoft.Data.Sqlite.SqliteException)
        {
            answer = HandleRestService.Error(ResponseCode.Error, handle, "The handle store could not be written; try again");
        }
        await AuditAsync(audit, http, "handle.delete", handle, Outcome(answer), http.Request.QueryString.Value, cancellationToken);
        return new Entity(answer);
    }

    private static async Task<IResult> Statistics(string prefix, int? days, IdentifierNode node, CancellationToken cancellationToken)
    {
        var counts = await node.Store.Statistics.GetAsync(HandleName.NormalizePrefix(prefix) ?? prefix, Math.Clamp(days ?? 30, 1, 3660), cancellationToken);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("prefix", prefix);
            json.WriteStartArray("days");
            foreach (var day in counts)
            {
                json.WriteStartObject();
                json.WriteString("day", day.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                json.WriteNumber("resolutions", day.Resolutions);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return new Entity(new RestAnswer(200, buffer.WrittenSpan.ToArray()));
    }

    /// <summary>401 with responseCode 402 for no (valid) token; 403 with responseCode 400 for a token below <paramref name="role"/>.</summary>
    private static Entity? Refusal(HttpContext http, Role role, string handle)
    {
        var principal = http.User.Principal();
        if (principal is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return new Entity(HandleRestService.Error(ResponseCode.AuthenticationNeeded, handle, "Authentication needed: send an API token"));
        }
        return principal.HasRole(role) ? null
            : new Entity(HandleRestService.Error(ResponseCode.InvalidAdmin, handle, $"The {role.ToName()} role is needed"));
    }

    private static AuditOutcome Outcome(RestAnswer answer) => answer.Status switch
    {
        < 300 => AuditOutcome.Success,
        >= 500 => AuditOutcome.Failed,
        _ => AuditOutcome.Denied,
    };

    private static async Task AuditAsync(IAuditLog audit, HttpContext http, string action, string handle, AuditOutcome outcome, string? detail, CancellationToken cancellationToken)
    {
        var caller = http.AuditCaller();
        await audit.AppendAsync(new AuditEvent(caller.Actor, action, "handle:" + handle, caller.Source, outcome, string.IsNullOrEmpty(detail) ? null : detail), cancellationToken);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > HandleRestService.MaxBodyBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Sends a <see cref="RestAnswer"/> as it is: status and Handle.Net JSON entity.</summary>
    private sealed class Entity(RestAnswer answer) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = answer.Status;
            httpContext.Response.ContentType = "application/json";
            return httpContext.Response.Body.WriteAsync(answer.Body).AsTask();
        }
    }
}
