using System.Buffers;
using System.Text.Json;
using Fabrica.Identifiers.DigitalLink;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Resolution;
using Fabrica.Security.Audit;
using Fabrica.Server.Auth;

namespace Fabrica.Server.Api;

internal static partial class IdentifierMappingApi
{
    private const int MaxBodyBytes = 64 * 1024;

    private static IResult ListLinks(string? id, DigitalLinkRegistry links)
    {
        var (handle, _, error) = links.Target(id ?? "");
        if (handle is not { } target)
            return Json(400, w => w.WriteString("message", error));
        return Json(200, w =>
        {
            w.WriteString("handle", target.ToString());
            w.WriteStartArray("links");
            foreach (var (index, link, isPublic) in links.List(target))
            {
                w.WriteStartObject();
                w.WriteNumber("index", index);
                w.WritePropertyName("link");
                using (var doc = JsonDocument.Parse(link.ToJson()))
                    doc.RootElement.WriteTo(w);
                w.WriteBoolean("public", isPublic);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private static async Task<IResult> AddLink(string? id, HttpContext http, DigitalLinkRegistry links, IAuditLog audit, CancellationToken cancellationToken)
    {
        var (handle, _, error) = links.Target(id ?? "");
        if (handle is not { } target)
            return Json(400, w => w.WriteString("message", error));
        var bytes = await ReadBytesAsync(http.Request, cancellationToken);
        if (bytes is null)
            return Json(400, w => w.WriteString("message", $"The body is larger than {MaxBodyBytes} bytes"));
        if (!Gs1Link.TryParse(bytes, out var link, out var problem))
            return Json(400, w => w.WriteString("message", problem));
        using var body = JsonDocument.Parse(bytes);
        var isPublic = !body.RootElement.TryGetProperty("public", out var p) || p.ValueKind != JsonValueKind.False;
        var outcome = await links.AddAsync(target, link, isPublic, cancellationToken);
        await AuditAsync(audit, http, "identifier.link.put", $"{target} {link.LinkType} {link.Href}", outcome, cancellationToken);
        return Outcome(outcome, created: outcome.Created);
    }

    private static async Task<IResult> RemoveLinks(string? id, string? linkType, HttpContext http, DigitalLinkRegistry links, IAuditLog audit, CancellationToken cancellationToken)
    {
        var (handle, _, error) = links.Target(id ?? "");
        if (handle is not { } target)
            return Json(400, w => w.WriteString("message", error));
        var outcome = await links.RemoveAsync(target, linkType, cancellationToken);
        await AuditAsync(audit, http, "identifier.link.delete", $"{target} {linkType ?? "*"}", outcome, cancellationToken);
        return Outcome(outcome, created: false);
    }

    private static IResult Outcome(WriteOutcome outcome, bool created) => Json(
        outcome.Code switch
        {
            ResponseCode.Success => created && outcome.Created ? 201 : 200,
            ResponseCode.HandleNotFound or ResponseCode.ValuesNotFound => 404,
            ResponseCode.ValueAlreadyExists or ResponseCode.HandleAlreadyExists => 409,
            ResponseCode.ServerNotResponsible or ResponseCode.InvalidValue or ResponseCode.InvalidHandle => 400,
            _ => 500,
        },
        w =>
        {
            w.WriteNumber("responseCode", (int)outcome.Code);
            w.WriteString("handle", outcome.Handle);
            if (outcome.Message is not null)
                w.WriteString("message", outcome.Message);
        });

    private static async Task AuditAsync(IAuditLog audit, HttpContext http, string action, string target, WriteOutcome outcome, CancellationToken cancellationToken)
    {
        var caller = http.AuditCaller();
        var result = outcome.Succeeded ? AuditOutcome.Success : AuditOutcome.Denied;
        await audit.AppendAsync(new AuditEvent(caller.Actor, action, target, caller.Source, result, outcome.Message), cancellationToken);
    }

    private static IResult Json(int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }
        return new JsonBody(status, buffer.WrittenSpan.ToArray());
    }

    /// <summary>A status and a JSON body as they are (the mapping API writes its JSON with Utf8JsonWriter).</summary>
    private sealed class JsonBody(int status, byte[] body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json";
            return httpContext.Response.Body.WriteAsync(body).AsTask();
        }
    }

    private static string? Text(JsonDocument? body, string name) =>
        body is not null && body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static async Task<JsonDocument?> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var bytes = await ReadBytesAsync(request, cancellationToken);
        try
        {
            return bytes is null ? null : JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]?> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
