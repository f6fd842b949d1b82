using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Fabrica.Identifiers.Limits;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Resolution;

namespace Fabrica.Identifiers.Http;

/// <summary>An HTTP status and a JSON body, exactly as sent.</summary>
public sealed record RestAnswer(int Status, byte[] Body)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>Who calls: anonymous, a reader (may see non-public values), or a writer (may change records).</summary>
public enum RestCaller
{
    Anonymous = 0,
    Reader = 1,
    Writer = 2,
}

/// <summary>
/// The Handle.Net HTTP JSON REST API (HANDLE.NET 9 Technical Manual §14) over an <see cref="IdentifierNode"/>,
/// independent of ASP.NET Core: the host passes the route values and body and sends back status and JSON.
/// Response codes and their HTTP statuses follow §14.4 (1 → 200/201, 2 → 500, 100 → 404, 101 → 409, 102 → 400,
/// 200 → 200 on resolution / 400 otherwise, 201 → 409, 202 → 400, 301 → 400, 402 → 401, other 40x → 403).
/// </summary>
public sealed partial class HandleRestService(IdentifierNode node, RecursiveResolver? resolver = null, ClientRateLimiter? limiter = null)
{
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    public IdentifierNode Node => node;

    /// <summary>Resolves handles this node does not serve through the hierarchy; null = answer 301.</summary>
    public RecursiveResolver? Resolver => resolver;

    /// <summary>
    /// Per-client limit of the public resolution route: null when <paramref name="client"/> may go on, otherwise
    /// HTTP 429 with Handle's "server too busy" (responseCode 3), counted in the metrics.
    /// </summary>
    public RestAnswer? Throttle(IPAddress? client, string handle)
    {
        if (limiter is null || client is null || limiter.TryAcquire(client))
        {
            IdentifierMetrics.Answered("http");
            return null;
        }
        IdentifierMetrics.RateLimited("http");
        return Json(429, w =>
        {
            w.WriteNumber("responseCode", (int)ResponseCode.ServerTooBusy);
            w.WriteString("handle", handle);
            w.WriteString("message", "Server too busy: slow down");
        });
    }

    /// <summary>GET /api/handles/{handle}. publicOnly defaults to true for anonymous callers, false otherwise.</summary>
    public ValueTask<RestAnswer> GetAsync(string handle, IReadOnlyList<string> indexParameters, IReadOnlyList<string> types, string? publicOnlyParameter, RestCaller caller, CancellationToken cancellationToken = default)
    {
        if (!TryParseIndexes(indexParameters, allowVarious: false, out var indexes))
            return new(Error(ResponseCode.InvalidValue, handle, "index must be an integer"));
        if (!TryParseBool(publicOnlyParameter, caller == RestCaller.Anonymous, out var publicOnly))
            return new(Error(ResponseCode.Error, handle, "publicOnly must be true or false"));
        if (!publicOnly && caller == RestCaller.Anonymous)
            return new(Error(ResponseCode.AuthenticationNeeded, handle, "Authentication needed to read values that are not public"));
        if (indexes.Count == 0 && types.Count == 0 && publicOnly && PublicAnswer(handle) is { } encoded)
            return new(encoded);
        var answer = node.Resolve(handle, indexes, types, publicOnly);
        if (answer.Code is ResponseCode.ServerNotResponsible or ResponseCode.PrefixReferral && resolver is not null)
            return ResolveRecursivelyAsync(resolver, handle, indexes, types, cancellationToken);
        return new(answer.Code switch
        {
            ResponseCode.Success => Values(handle, answer.Values),
            ResponseCode.ValuesNotFound => NoValues(handle),
            ResponseCode.PrefixReferral => Error(ResponseCode.ServerNotResponsible, handle, "Server not responsible for handle; " + answer.Message),
            _ => Error(answer.Code, handle, answer.Message ?? answer.Code.ToString()),
        });
    }

    /// <summary>A handle of another node, through the hierarchy: public values only, each checked against its signature.</summary>
    private static async ValueTask<RestAnswer> ResolveRecursivelyAsync(RecursiveResolver resolver, string handle, IReadOnlyCollection<int> indexes, IReadOnlyCollection<string> types, CancellationToken cancellationToken)
    {
        var resolved = await resolver.ResolveAsync(handle, cancellationToken).ConfigureAwait(false);
        IdentifierMetrics.ResolvedRecursively(resolved.FromCache);
        if (resolved.Code != ResponseCode.Success)
            return Error(resolved.Code, handle, resolved.Problem ?? resolved.Code.ToString());
        var values = resolved.Select(indexes, types);
        return values.Count == 0 ? NoValues(handle) : Values(handle, values);
    }

    private static RestAnswer Values(string handle, IReadOnlyList<HandleValue> values) => Json(200, w =>
    {
        w.WriteNumber("responseCode", 1);
        w.WriteString("handle", handle);
        w.WriteStartArray("values");
        foreach (var value in values)
            HandleJson.WriteValue(w, value);
        w.WriteEndArray();
    });

    private static RestAnswer NoValues(string handle) => Json(200, w =>
    {
        w.WriteNumber("responseCode", 200);
        w.WriteString("handle", handle);
    });

    /// <summary>PUT /api/handles/{handle}: create or replace the record, or with index= add/replace those values.</summary>
    public async Task<RestAnswer> PutAsync(string handleText, ReadOnlyMemory<byte> body, IReadOnlyList<string> indexParameters, string? overwriteParameter, string? mintParameter, CancellationToken cancellationToken = default)
    {
        if (!TryParseBool(overwriteParameter, true, out var overwrite) || !TryParseBool(mintParameter, false, out var mint))
            return Error(ResponseCode.Error, handleText, "overwrite and mintNewSuffix must be true or false");
        if (!TryParseIndexes(indexParameters, allowVarious: true, out var indexes))
            return Error(ResponseCode.InvalidValue, handleText, "index must be an integer or 'various'");
        HandleName handle;
        if (mint)
        {
            var prefix = handleText.TrimEnd('/');
            if (HandleName.NormalizePrefix(prefix) is null)
                return Error(ResponseCode.InvalidHandle, handleText, "With mintNewSuffix the handle is the prefix followed by '/'");
            handle = node.MintHandle(prefix);
        }
        else if (!HandleName.TryParse(handleText, out handle, out var problem))
        {
            return Error(ResponseCode.InvalidHandle, handleText, problem);
        }
        List<HandleValue> values;
        try
        {
            values = HandleJson.ReadValues(body.Span);
        }
        catch (FormatException e)
        {
            return Error(ResponseCode.InvalidValue, handleText, e.Message);
        }
        var various = indexParameters.Contains("various");
        if (indexes.Count > 0 && !various && !values.Select(v => v.Index).ToHashSet().SetEquals(indexes))
            return Error(ResponseCode.InvalidValue, handleText, "The indexes in the query must match those of the values");
        var outcome = indexes.Count > 0 || various
            ? await node.PutValuesAsync(handle, values, overwrite, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await node.PutRecordAsync(handle, values, overwrite, cancellationToken).ConfigureAwait(false);
        return outcome.Succeeded
            ? Json(outcome.Created ? 201 : 200, w =>
            {
                w.WriteNumber("responseCode", 1);
                w.WriteString("handle", mint ? handle.ToString() : handleText);
            })
            : Error(outcome.Code, handleText, outcome.Message ?? outcome.Code.ToString());
    }

    /// <summary>DELETE /api/handles/{handle}, or with index= remove those values.</summary>
    public async Task<RestAnswer> DeleteAsync(string handleText, IReadOnlyList<string> indexParameters, CancellationToken cancellationToken = default)
    {
        if (!HandleName.TryParse(handleText, out var handle, out var problem))
            return Error(ResponseCode.InvalidHandle, handleText, problem);
        if (!TryParseIndexes(indexParameters, allowVarious: false, out var indexes))
            return Error(ResponseCode.InvalidValue, handleText, "index must be an integer");
        var outcome = indexes.Count > 0
            ? await node.RemoveValuesAsync(handle, indexes, cancellationToken).ConfigureAwait(false)
            : await node.DeleteAsync(handle, cancellationToken).ConfigureAwait(false);
        return outcome.Succeeded
            ? Json(200, w =>
            {
                w.WriteNumber("responseCode", 1);
                w.WriteString("handle", handleText);
            })
            : Error(outcome.Code, handleText, outcome.Message ?? outcome.Code.ToString());
    }

    /// <summary>GET /api/handles?prefix=&amp;page=&amp;pageSize= (§14.5.4): zero-based pages; size 0 = count only.</summary>
    public RestAnswer List(string? prefix, string? pageParameter, string? pageSizeParameter)
    {
        if (string.IsNullOrEmpty(prefix) || HandleName.NormalizePrefix(prefix.StartsWith("0.NA/", StringComparison.OrdinalIgnoreCase) ? prefix[5..] : prefix) is null)
            return Json(400, w =>
            {
                w.WriteNumber("responseCode", (int)ResponseCode.InvalidHandle);
                w.WriteString("prefix", prefix ?? "");
                w.WriteString("message", "A valid prefix parameter is required");
            });
        var bare = prefix.StartsWith("0.NA/", StringComparison.OrdinalIgnoreCase) ? prefix[5..] : prefix;
        var page = int.TryParse(pageParameter, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) ? p : -1;
        var size = int.TryParse(pageSizeParameter, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) ? s : -1;
        var (total, handles) = node.Store.List(bare, page, size);
        return Json(200, w =>
        {
            w.WriteNumber("responseCode", 1);
            w.WriteString("prefix", prefix);
            w.WriteNumber("totalCount", total);
            w.WriteStartArray("handles");
            foreach (var handle in handles)
                w.WriteStringValue(handle);
            w.WriteEndArray();
        });
    }

    /// <summary>An error entity <c>{"responseCode", "handle", "message"}</c> with the HTTP status §14.4 maps the code to.</summary>
    public static RestAnswer Error(ResponseCode code, string handle, string message) => Json(StatusFor(code), w =>
    {
        w.WriteNumber("responseCode", (int)code);
        w.WriteString("handle", handle);
        w.WriteString("message", message);
    });

    public static int StatusFor(ResponseCode code) => code switch
    {
        ResponseCode.Success => 200,
        ResponseCode.HandleNotFound => 404,
        ResponseCode.HandleAlreadyExists or ResponseCode.ValueAlreadyExists => 409,
        ResponseCode.InvalidHandle or ResponseCode.ValuesNotFound or ResponseCode.InvalidValue or ResponseCode.ServerNotResponsible => 400,
        ResponseCode.AuthenticationNeeded => 401,
        >= ResponseCode.InvalidAdmin and <= ResponseCode.AuthenticationError => 403,
        ResponseCode.ServerTooBusy => 429,
        _ => 500,
    };

    private static RestAnswer Json(int status, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return new RestAnswer(status, buffer.WrittenSpan.ToArray());
    }

    private static bool TryParseIndexes(IReadOnlyList<string> parameters, bool allowVarious, out List<int> indexes)
    {
        indexes = [];
        foreach (var parameter in parameters)
        {
            if (allowVarious && parameter == "various")
                continue;
            if (!int.TryParse(parameter, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                return false;
            indexes.Add(index);
        }
        return true;
    }

    /// <summary>Handle.Net booleans: absent = default, present without a value = true (§14.2).</summary>
    private static bool TryParseBool(string? parameter, bool absent, out bool value)
    {
        value = parameter switch
        {
            null => absent,
            "" => true,
            _ when bool.TryParse(parameter, out var parsed) => parsed,
            _ => absent,
        };
        return parameter is null or "" || bool.TryParse(parameter, out _);
    }
}
