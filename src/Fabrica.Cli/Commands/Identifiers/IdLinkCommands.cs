using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands.Identifiers;

internal class IdLinkSettings : ClientSettings
{
    [CommandArgument(0, "<IDENTIFIER>")]
    [Description("The identified object: a Digital Link URI (https://id.example.com/01/09506000134352), (01)… element string, GTIN or EPC")]
    public string Identifier { get; init; } = "";
}

internal sealed class IdLinkAddSettings : IdLinkSettings
{
    [CommandOption("--type <LINKTYPE>")]
    [Description("Link type, e.g. gs1:pip, gs1:certificationInfo or an absolute URI")]
    public string LinkType { get; init; } = "";

    [CommandOption("--href <URL>")]
    public string Href { get; init; } = "";

    [CommandOption("--title <TITLE>")]
    public string? Title { get; init; }

    [CommandOption("--media <TYPE>")]
    [Description("Media type of the target, e.g. text/html")]
    public string? Media { get; init; }

    [CommandOption("--lang <LANG>")]
    [Description("Language of the target (repeatable)")]
    public string[] Languages { get; init; } = [];

    [CommandOption("--default")]
    [Description("The link a plain scan redirects to")]
    public bool Default { get; init; }

    [CommandOption("--private")]
    [Description("Visible to authorised readers only")]
    public bool Private { get; init; }

    public override ValidationResult Validate() =>
        LinkType.Length == 0 || Href.Length == 0 ? ValidationResult.Error("--type and --href are required.") : ValidationResult.Success();
}

/// <summary><c>fabrica id link add ID --type gs1:pip --href URL [--default]</c> (PUT /api/v1/identifiers/links).</summary>
internal sealed class IdLinkAddCommand : AsyncCommand<IdLinkAddSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IdLinkAddSettings s, CancellationToken cancellationToken)
    {
        using var api = new HandleApi(s, tokenRequired: true);
        var answer = await api.PutAsync("/api/v1/identifiers/links?id=" + Uri.EscapeDataString(s.Identifier), MappingJson.Object(w =>
        {
            w.WriteString("linkType", s.LinkType);
            w.WriteString("href", s.Href);
            if (s.Title is not null)
                w.WriteString("title", s.Title);
            if (s.Media is not null)
                w.WriteString("type", s.Media);
            if (s.Languages.Length > 0)
            {
                w.WriteStartArray("hreflang");
                foreach (var lang in s.Languages)
                    w.WriteStringValue(lang);
                w.WriteEndArray();
            }
            w.WriteBoolean("default", s.Default);
            w.WriteBoolean("public", !s.Private);
        }), cancellationToken);
        MappingJson.Check(answer, s.Identifier);
        Console.WriteLine($"{s.LinkType} → {s.Href} on {answer.Body.GetProperty("handle").GetString()}");
        return 0;
    }
}

/// <summary><c>fabrica id link list ID</c> (GET /api/v1/identifiers/links).</summary>
internal sealed class IdLinkListCommand : AsyncCommand<IdLinkSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IdLinkSettings s, CancellationToken cancellationToken)
    {
        using var api = new HandleApi(s, tokenRequired: true);
        var answer = await api.GetAsync("/api/v1/identifiers/links?id=" + Uri.EscapeDataString(s.Identifier), cancellationToken);
        MappingJson.Check(answer, s.Identifier);
        var table = new Table().AddColumns("index", "link type", "href", "title", "default", "public");
        foreach (var entry in answer.Body.GetProperty("links").EnumerateArray())
        {
            var link = entry.GetProperty("link");
            table.AddRow(entry.GetProperty("index").ToString(), Markup.Escape(link.GetProperty("linkType").GetString()!), Markup.Escape(link.GetProperty("href").GetString()!),
                Markup.Escape(link.GetProperty("title").GetString() ?? ""), link.TryGetProperty("default", out var d) && d.ValueKind == JsonValueKind.True ? "yes" : "",
                entry.GetProperty("public").GetBoolean() ? "yes" : "no");
        }
        AnsiConsole.Write(table);
        return 0;
    }
}

internal sealed class IdLinkRemoveSettings : IdLinkSettings
{
    [CommandOption("--type <LINKTYPE>")]
    [Description("Only links of this type (default: all links of the object)")]
    public string? LinkType { get; init; }
}

/// <summary><c>fabrica id link remove ID [--type T]</c> (DELETE /api/v1/identifiers/links).</summary>
internal sealed class IdLinkRemoveCommand : AsyncCommand<IdLinkRemoveSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IdLinkRemoveSettings s, CancellationToken cancellationToken)
    {
        using var api = new HandleApi(s, tokenRequired: true);
        var answer = await api.DeleteAsync("/api/v1/identifiers/links?id=" + Uri.EscapeDataString(s.Identifier)
            + (s.LinkType is null ? "" : "&linkType=" + Uri.EscapeDataString(s.LinkType)), cancellationToken);
        MappingJson.Check(answer, s.Identifier);
        Console.WriteLine($"removed {s.LinkType ?? "all links"} of {s.Identifier}");
        return 0;
    }
}
