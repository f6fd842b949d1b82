using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands.Identifiers;

/// <summary>JSON bodies of the mapping API, written by hand (no reflection in a trimmed CLI).</summary>
internal static class MappingJson
{
    public static string Object(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Check(HandleApi.Answer answer, string what)
    {
        if (answer.Status is < 200 or >= 300)
            throw new CliException($"{what}: HTTP {answer.Status}: {answer.Message}");
    }
}

internal sealed class IdLookupSettings : ClientSettings
{
    [CommandArgument(0, "<IDENTIFIER>")]
    [Description("Any identifier: handle, Digital Link URI, (01)… element string, GTIN, urn:epc:…, SGTIN-96 hex, OID, ecode:…")]
    public string Identifier { get; init; } = "";

    [CommandOption("--walk-up")]
    [Description("Try less specific GS1 keys too (serial → lot → GTIN)")]
    public bool WalkUp { get; init; }

    [CommandOption("--json")]
    public bool Json { get; init; }
}

/// <summary><c>fabrica id lookup IDENTIFIER</c>: which scheme, which handle, which values (GET /api/v1/identifiers/resolve).</summary>
internal sealed class IdLookupCommand : AsyncCommand<IdLookupSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IdLookupSettings s, CancellationToken cancellationToken)
    {
        using var api = new HandleApi(s, tokenRequired: false);
        var answer = await api.GetAsync("/api/v1/identifiers/resolve?id=" + Uri.EscapeDataString(s.Identifier) + (s.WalkUp ? "&walkUp=true" : ""), cancellationToken);
        if (s.Json)
        {
            Console.WriteLine(answer.Body.GetRawText());
            return answer.Status == 200 ? 0 : 1;
        }
        MappingJson.Check(answer, s.Identifier);
        var body = answer.Body;
        Console.WriteLine($"{body.GetProperty("scheme").GetString()} → {body.GetProperty("handle").GetString()} (by {body.GetProperty("match").GetString()}: {body.GetProperty("matchedKey").GetString()})");
        var table = new Table().AddColumns("index", "type", "data", "permissions");
        foreach (var v in body.GetProperty("values").EnumerateArray())
        {
            var value = v.GetProperty("data").GetProperty("value");
            var shown = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            table.AddRow(v.GetProperty("index").ToString(), Markup.Escape(v.GetProperty("type").GetString() ?? ""),
                Markup.Escape(shown.Length > 80 ? shown[..77] + "…" : shown), v.TryGetProperty("permissions", out var p) ? p.GetString() ?? "" : "1110");
        }
        AnsiConsole.Write(table);
        return 0;
    }
}

internal sealed class IdMapSettings : ClientSettings
{
    [CommandArgument(0, "<KIND>")]
    [Description("gs1 (a GS1 Company Prefix) or oid (an OID arc)")]
    public string Kind { get; init; } = "";

    [CommandArgument(1, "<MATCH>")]
    [Description("e.g. 9506000 or 1.2.156.101818")]
    public string Match { get; init; } = "";

    [CommandArgument(2, "<PREFIX>")]
    [Description("One of the node's handle prefixes, e.g. 88.100.12")]
    public string Prefix { get; init; } = "";

    public override ValidationResult Validate() =>
        Kind is "gs1" or "oid" ? ValidationResult.Success() : ValidationResult.Error("KIND is gs1 or oid.");
}

/// <summary><c>fabrica id map gs1 9506000 88.100.12</c>: a mapping rule (POST /api/v1/identifiers/rules).</summary>
internal sealed class IdMapCommand : AsyncCommand<IdMapSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IdMapSettings s, CancellationToken cancellationToken)
    {
        using var api = new HandleApi(s, tokenRequired: true);
        var answer = await api.PostAsync("/api/v1/identifiers/rules", MappingJson.Object(w =>
        {
            w.WriteString("kind", s.Kind);
            w.WriteString("match", s.Match);
            w.WriteString("prefix", s.Prefix);
        }), cancellationToken);
        MappingJson.Check(answer, $"{s.Kind} {s.Match} → {s.Prefix}");
        Console.WriteLine($"mapped {s.Kind} {s.Match} → {s.Prefix}");
        return 0;
    }
}

internal sealed class IdAliasSettings : ClientSettings
{
    [CommandArgument(0, "<HANDLE>")]
    public string Handle { get; init; } = "";

    [CommandArgument(1, "<IDENTIFIER>")]
    [Description("Another name of the same object: urn:epc:id:sgtin:…, a Digital Link URI, an OID, an Ecode, …")]
    public string Identifier { get; init; } = "";

    [CommandOption("--private")]
    [Description("Only authorised readers may resolve the object by this name")]
    public bool Private { get; init; }
}

/// <summary><c>fabrica id alias HANDLE IDENTIFIER</c>: an ALT_ID binding (POST /api/v1/identifiers/alternates).</summary>
internal sealed class IdAliasCommand : AsyncCommand<IdAliasSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IdAliasSettings s, CancellationToken cancellationToken)
    {
        using var api = new HandleApi(s, tokenRequired: true);
        var answer = await api.PostAsync("/api/v1/identifiers/alternates", MappingJson.Object(w =>
        {
            w.WriteString("handle", s.Handle);
            w.WriteString("identifier", s.Identifier);
            w.WriteBoolean("public", !s.Private);
        }), cancellationToken);
        MappingJson.Check(answer, $"{s.Identifier} → {s.Handle}");
        Console.WriteLine($"{s.Identifier} → {s.Handle}");
        return 0;
    }
}
