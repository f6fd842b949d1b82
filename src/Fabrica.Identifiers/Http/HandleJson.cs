using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Fabrica.Identifiers.Model;

namespace Fabrica.Identifiers.Http;

/// <summary>
/// Handle values in the JSON of the Handle.Net HTTP JSON REST API (HANDLE.NET 9 Technical Manual §14.8):
/// <c>{"index", "type", "data": {"format", "value"}, "ttl", "timestamp"}</c>, plus <c>"permissions"</c> when not the
/// usual "1110" and <c>"references"</c> when not empty. Data formats: string (UTF-8 text), base64, hex, admin (HS_ADMIN),
/// vlist (HS_VLIST) and site (HS_SITE).
/// </summary>
public static class HandleJson
{
    public static void WriteValue(Utf8JsonWriter json, HandleValue value)
    {
        json.WriteStartObject();
        json.WriteNumber("index", value.Index);
        json.WriteString("type", value.Type);
        json.WritePropertyName("data");
        WriteData(json, value);
        if (value.TtlType == TtlType.Absolute)
            json.WriteString("ttl", Iso(value.Ttl));
        else
            json.WriteNumber("ttl", value.Ttl);
        json.WriteString("timestamp", Iso(value.Timestamp));
        if (value.Permissions != ValuePermissions.Default)
            json.WriteString("permissions", PermissionString(value.Permissions));
        if (value.ReferenceList.Count > 0)
        {
            json.WriteStartArray("references");
            foreach (var reference in value.ReferenceList)
            {
                json.WriteStartObject();
                json.WriteNumber("index", reference.Index);
                json.WriteString("handle", reference.Handle);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    /// <summary>"1110" = admin read, admin write, public read, no public write (Technical Manual §14.8).</summary>
    public static string PermissionString(ValuePermissions p) => string.Create(4, p, static (span, bits) =>
    {
        span[0] = bits.HasFlag(ValuePermissions.AdminRead) ? '1' : '0';
        span[1] = bits.HasFlag(ValuePermissions.AdminWrite) ? '1' : '0';
        span[2] = bits.HasFlag(ValuePermissions.PublicRead) ? '1' : '0';
        span[3] = bits.HasFlag(ValuePermissions.PublicWrite) ? '1' : '0';
    });

    private static void WriteData(Utf8JsonWriter json, HandleValue value)
    {
        json.WriteStartObject();
        var data = value.Data.Span;
        try
        {
            switch (value.Type)
            {
                case HandleTypes.Admin:
                    var admin = AdminRecord.Decode(data);
                    json.WriteString("format", "admin");
                    json.WriteStartObject("value");
                    json.WriteString("handle", admin.AdminHandle);
                    json.WriteNumber("index", admin.AdminIndex);
                    json.WriteString("permissions", admin.PermissionString);
                    json.WriteEndObject();
                    json.WriteEndObject();
                    return;
                case HandleTypes.ValueList:
                    var list = ValueList.Decode(data);
                    json.WriteString("format", "vlist");
                    json.WriteStartArray("value");
                    foreach (var reference in list)
                    {
                        json.WriteStartObject();
                        json.WriteString("handle", reference.Handle);
                        json.WriteNumber("index", reference.Index);
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                    json.WriteEndObject();
                    return;
                case HandleTypes.Site:
                    json.WriteString("format", "site");
                    json.WritePropertyName("value");
                    WriteSite(json, SiteInfo.Decode(data));
                    json.WriteEndObject();
                    return;
            }
        }
        catch (Native.HandleProtocolException)
        {
            // Structured types that do not decode are shown as bytes, as Handle.Net does.
        }
        if (value.Type is not (HandleTypes.PublicKey or HandleTypes.Signature) && IsText(data))
        {
            json.WriteString("format", "string");
            json.WriteString("value", Encoding.UTF8.GetString(data));
        }
        else
        {
            json.WriteString("format", "base64");
            json.WriteBase64String("value", data);
        }
        json.WriteEndObject();
    }

    private static void WriteSite(Utf8JsonWriter json, SiteInfo site)
    {
        json.WriteStartObject();
        json.WriteNumber("version", site.DataFormatVersion);
        json.WriteString("protocolVersion", $"{site.MajorProtocolVersion}.{site.MinorProtocolVersion}");
        json.WriteNumber("serialNumber", site.SerialNumber);
        json.WriteStartObject("primaryMask");
        json.WriteBoolean("multiPrimary", site.IsMultiPrimary);
        json.WriteBoolean("primary", site.IsPrimary);
        json.WriteEndObject();
        json.WriteNumber("hashOption", (int)site.HashOption);
        json.WriteString("hashFilter", "");
        json.WriteStartArray("attributes");
        foreach (var (name, value) in site.Attributes ?? new Dictionary<string, string>())
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("value", value);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("servers");
        foreach (var server in site.Servers)
        {
            json.WriteStartObject();
            json.WriteNumber("serverId", server.ServerId);
            json.WriteString("address", server.Address.ToString());
            json.WriteStartObject("publicKey");
            json.WriteString("format", "base64");
            json.WriteBase64String("value", server.PublicKey.Span);
            json.WriteEndObject();
            json.WriteStartArray("interfaces");
            foreach (var i in server.Interfaces)
            {
                json.WriteStartObject();
                json.WriteBoolean("query", i.Service is SiteInterface.Services.Query or SiteInterface.Services.AdminAndQuery);
                json.WriteBoolean("admin", i.Service is SiteInterface.Services.Admin or SiteInterface.Services.AdminAndQuery);
                json.WriteString("protocol", i.Protocol.ToString().ToUpperInvariant());
                json.WriteNumber("port", i.Port);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// Reads the request entity of a PUT: an array of values, an object with a "values" array, or a single value
    /// (Technical Manual §14.5.2). Throws <see cref="FormatException"/> with a reader-facing message when malformed.
    /// </summary>
    public static List<HandleValue> ReadValues(ReadOnlySpan<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("values", out var list))
                root = list;
            if (root.ValueKind == JsonValueKind.Object)
                return [ReadValue(root)];
            if (root.ValueKind != JsonValueKind.Array)
                throw new FormatException("The request entity must be a handle value, an array of them, or {\"values\": [...]}.");
            return root.EnumerateArray().Select(ReadValue).ToList();
        }
        catch (JsonException e)
        {
            throw new FormatException("The request entity is not valid JSON: " + e.Message, e);
        }
    }

    private static HandleValue ReadValue(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new FormatException("Each handle value must be a JSON object.");
        if (!value.TryGetProperty("index", out var indexElement) || !indexElement.TryGetInt32(out var index))
            throw new FormatException("A handle value needs an integer \"index\".");
        if (!value.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            throw new FormatException($"Value {index} needs a string \"type\".");
        var type = typeElement.GetString()!;
        if (!value.TryGetProperty("data", out var dataElement))
            throw new FormatException($"Value {index} needs \"data\".");
        var data = ReadData(type, dataElement, index);
        var ttl = HandleValue.DefaultTtl;
        var ttlType = TtlType.Relative;
        if (value.TryGetProperty("ttl", out var ttlElement))
        {
            if (ttlElement.ValueKind == JsonValueKind.Number && ttlElement.TryGetInt32(out var relative) && relative >= 0)
                ttl = relative;
            else if (ttlElement.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(ttlElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var absolute))
                (ttl, ttlType) = ((int)absolute.ToUnixTimeSeconds(), TtlType.Absolute);
            else
                throw new FormatException($"Value {index}: \"ttl\" must be a non-negative integer or an ISO 8601 time.");
        }
        var permissions = ValuePermissions.Default;
        if (value.TryGetProperty("permissions", out var permElement))
        {
            var text = permElement.GetString();
            if (text is not { Length: 4 } || text.Any(c => c is not ('0' or '1')))
                throw new FormatException($"Value {index}: \"permissions\" must be four 0/1 characters (admin read, admin write, public read, public write).");
            permissions = (ValuePermissions)((text[0] == '1' ? 8 : 0) | (text[1] == '1' ? 4 : 0) | (text[2] == '1' ? 2 : 0) | (text[3] == '1' ? 1 : 0));
        }
        List<ValueReference>? references = null;
        if (value.TryGetProperty("references", out var refs) && refs.ValueKind == JsonValueKind.Array)
            references = refs.EnumerateArray().Select(r => new ValueReference(r.GetProperty("handle").GetString() ?? "", r.GetProperty("index").GetInt32())).ToList();
        return new HandleValue(index, type, data, ttl, 0, permissions, ttlType, references);
    }

    private static byte[] ReadData(string type, JsonElement data, int index)
    {
        if (data.ValueKind == JsonValueKind.String)
            return Encoding.UTF8.GetBytes(data.GetString()!);
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("format", out var formatElement) || !data.TryGetProperty("value", out var v))
            throw new FormatException($"Value {index}: \"data\" must be a string or {{\"format\", \"value\"}}.");
        try
        {
            return formatElement.GetString() switch
            {
                "string" => Encoding.UTF8.GetBytes(v.GetString() ?? ""),
                "base64" => Convert.FromBase64String(v.GetString() ?? ""),
                "hex" => Convert.FromHexString(v.GetString() ?? ""),
                "admin" => new AdminRecord(
                    v.GetProperty("handle").GetString() ?? "",
                    v.GetProperty("index").GetInt32(),
                    AdminRecord.TryParsePermissions(v.GetProperty("permissions").GetString(), out var p) ? p : throw new FormatException($"Value {index}: HS_ADMIN permissions must be up to 12 0/1 characters.")).Encode(),
                "vlist" => ValueList.Encode(v.EnumerateArray().Select(r => new ValueReference(r.GetProperty("handle").GetString() ?? "", r.GetProperty("index").GetInt32())).ToList()),
                "site" => ReadSite(v).Encode(),
                var other => throw new FormatException($"Value {index}: unknown data format '{other}' (string, base64, hex, admin, vlist, site)."),
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"Value {index}: the {type} data object is incomplete.", e);
        }
    }

    private static SiteInfo ReadSite(JsonElement site)
    {
        var version = site.TryGetProperty("protocolVersion", out var pv) ? pv.GetString()?.Split('.') : null;
        var servers = site.GetProperty("servers").EnumerateArray().Select(s => new SiteServer(
            s.GetProperty("serverId").GetInt32(),
            IPAddress.Parse(s.GetProperty("address").GetString() ?? ""),
            s.TryGetProperty("publicKey", out var key) && key.TryGetProperty("value", out var keyValue) ? Convert.FromBase64String(keyValue.GetString() ?? "") : [],
            s.GetProperty("interfaces").EnumerateArray().Select(i => new SiteInterface(
                (i.GetProperty("query").GetBoolean(), i.GetProperty("admin").GetBoolean()) switch
                {
                    (true, true) => SiteInterface.Services.AdminAndQuery,
                    (true, false) => SiteInterface.Services.Query,
                    (false, true) => SiteInterface.Services.Admin,
                    _ => SiteInterface.Services.OutOfService,
                },
                Enum.Parse<SiteInterface.Transport>(i.GetProperty("protocol").GetString() ?? "", ignoreCase: true),
                i.GetProperty("port").GetInt32())).ToList())).ToList();
        var mask = site.TryGetProperty("primaryMask", out var m) ? m : default;
        return new SiteInfo(
            (ushort)site.GetProperty("serialNumber").GetInt32(),
            servers,
            mask.ValueKind != JsonValueKind.Object || mask.GetProperty("primary").GetBoolean(),
            mask.ValueKind == JsonValueKind.Object && mask.GetProperty("multiPrimary").GetBoolean(),
            site.TryGetProperty("hashOption", out var hash) ? (SiteInfo.Hash)hash.GetInt32() : SiteInfo.Hash.ByAll,
            site.TryGetProperty("attributes", out var attributes) ? attributes.EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString() ?? "", a => a.GetProperty("value").GetString() ?? "") : null,
            version is { Length: 2 } ? byte.Parse(version[0], CultureInfo.InvariantCulture) : (byte)2,
            version is { Length: 2 } ? byte.Parse(version[1], CultureInfo.InvariantCulture) : (byte)10);
    }

    private static string Iso(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static bool IsText(ReadOnlySpan<byte> data)
    {
        if (!System.Text.Unicode.Utf8.IsValid(data))
            return false;
        foreach (var b in data)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r'))
                return false;
        }
        return true;
    }
}
