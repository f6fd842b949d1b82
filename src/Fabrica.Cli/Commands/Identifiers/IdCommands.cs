using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands.Identifiers;

internal sealed class IdRegisterSettings : ClientSettings
{
    [CommandArgument(0, "<HANDLE>")]
    [Description("prefix/suffix, e.g. 88.100.12/PUMP-0001")]
    public string Handle { get; init; } = "";

    [CommandOption("--url <URL>")]
    [Description("URL value (index 1)")]
    public string? Url { get; init; }

    [CommandOption("--value <TYPE=VALUE>")]
    [Description("A public value, e.g. manufacturer=ACME (repeatable; indexes 2, 3, … in order)")]
    public string[] Values { get; init; } = [];

    [CommandOption("--private <TYPE=VALUE>")]
    [Description("A value for authorised readers only (permissions 1100), e.g. batch=B-7 (repeatable)")]
    public string[] PrivateValues { get; init; } = [];

    [CommandOption("--ttl <SECONDS>")]
    [Description("TTL of every value (default 86400)")]
    public int? Ttl { get; init; }

    [CommandOption("--no-overwrite")]
    [Description("Fail (409) if the handle exists instead of replacing it")]
    public bool NoOverwrite { get; init; }

    public override ValidationResult Validate()
    {
        if (Url is null && Values.Length == 0 && PrivateValues.Length == 0)
            return ValidationResult.Error("Give at least one value: --url, --value TYPE=VALUE or --private TYPE=VALUE.");
        if (Values.Concat(PrivateValues).FirstOrDefault(v => v.IndexOf('=', StringComparison.Ordinal) <= 0) is { } bad)
            return ValidationResult.Error($"'{bad}' is not TYPE=VALUE.");
        return ValidationResult.Success();
    }
}

/// <summary><c>fabrica id register HANDLE --url … --value type=… --private type=…</c>: creates or replaces a record over REST.</summary>
internal sealed class IdRegisterCommand : AsyncCommand<IdRegisterSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IdRegisterSettings s, CancellationToken cancellationToken)
    {
        var values = new List<HandleValueJson>();
        if (s.Url is not null)
            values.Add(new HandleValueJson(1, "URL", new HandleDataJson("string", s.Url), Ttl: s.Ttl));
        foreach (var (text, permissions) in s.Values.Select(v => (v, (string?)null)).Concat(s.PrivateValues.Select(v => (v, (string?)"1100"))))
        {
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            values.Add(new HandleValueJson(values.Count + 1, text[..eq], new HandleDataJson("string", text[(eq + 1)..]), permissions, s.Ttl));
        }
        using var api = new HandleApi(s, tokenRequired: true);
        var answer = await api.PutAsync(HandleApi.Route(s.Handle) + (s.NoOverwrite ? "?overwrite=false" : ""),
            JsonSerializer.Serialize(values, CliIdJsonContext.Default.ListHandleValueJson), cancellationToken);
        if (!answer.Succeeded)
            throw new CliException($"{s.Handle} not registered: {answer.Describe()}");
        Console.WriteLine($"{(answer.Status == 201 ? "created" : "replaced")} {s.Handle} ({values.Count} values)");
        return 0;
    }
}

internal sealed class IdHandleSettings : ClientSettings
{
    [CommandArgument(0, "<HANDLE>")]
    public string Handle { get; init; } = "";

    [CommandOption("--type <TYPE>")]
    [Description("Only values of this type (repeatable)")]
    public string[] Types { get; init; } = [];

    [CommandOption("--index <N>")]
    [Description("Only the value with this index (repeatable)")]
    public int[] Indexes { get; init; } = [];

    [CommandOption("--json")]
    [Description("Print the Handle.Net JSON as received")]
    public bool Json { get; init; }
}

/// <summary><c>fabrica id resolve HANDLE</c>: resolves through the node (which asks the hierarchy for handles it does not serve).</summary>
internal sealed class IdResolveCommand : AsyncCommand<IdHandleSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IdHandleSettings s, CancellationToken cancellationToken)
    {
        using var api = new HandleApi(s, tokenRequired: false);
        var query = string.Join('&', s.Types.Select(t => "type=" + Uri.EscapeDataString(t)).Concat(s.Indexes.Select(i => "index=" + i.ToString(CultureInfo.InvariantCulture))));
        var answer = await api.GetAsync(HandleApi.Route(s.Handle) + (query.Length > 0 ? "?" + query : ""), cancellationToken);
        if (s.Json)
        {
            Console.WriteLine(answer.Body.GetRawText());
            return answer.Succeeded ? 0 : 1;
        }
        if (!answer.Succeeded)
            throw new CliException($"{s.Handle}: {answer.Describe()}");
        var table = new Table().AddColumns("index", "type", "data", "ttl", "permissions");
        foreach (var v in answer.Body.GetProperty("values").EnumerateArray())
        {
            var data = v.GetProperty("data");
            var shown = data.GetProperty("value").ValueKind == JsonValueKind.String ? data.GetProperty("value").GetString()! : data.GetProperty("value").GetRawText();
            table.AddRow(
                v.GetProperty("index").GetInt32().ToString(CultureInfo.InvariantCulture),
                Markup.Escape(v.GetProperty("type").GetString() ?? ""),
                Markup.Escape(shown.Length > 80 ? shown[..77] + "…" : shown),
                Markup.Escape(v.GetProperty("ttl").ToString()),
                v.TryGetProperty("permissions", out var p) ? p.GetString() ?? "" : "1110");
        }
        AnsiConsole.Write(table);
        return 0;
    }
}

internal sealed class IdDeleteSettings : ClientSettings
{
    [CommandArgument(0, "<HANDLE>")]
    public string Handle { get; init; } = "";

    [CommandOption("--index <N>")]
    [Description("Delete only these values (repeatable); without it the whole handle")]
    public int[] Indexes { get; init; } = [];
}

/// <summary><c>fabrica id delete HANDLE [--index N]</c>.</summary>
internal sealed class IdDeleteCommand : AsyncCommand<IdDeleteSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IdDeleteSettings s, CancellationToken cancellationToken)
    {
        using var api = new HandleApi(s, tokenRequired: true);
        var query = string.Join('&', s.Indexes.Select(i => "index=" + i.ToString(CultureInfo.InvariantCulture)));
        var answer = await api.DeleteAsync(HandleApi.Route(s.Handle) + (query.Length > 0 ? "?" + query : ""), cancellationToken);
        if (!answer.Succeeded)
            throw new CliException($"{s.Handle} not deleted: {answer.Describe()}");
        Console.WriteLine(s.Indexes.Length == 0 ? $"deleted {s.Handle}" : $"deleted values {string.Join(", ", s.Indexes)} of {s.Handle}");
        return 0;
    }
}

internal sealed class IdListSettings : ClientSettings
{
    [CommandArgument(0, "<PREFIX>")]
    public string Prefix { get; init; } = "";

    [CommandOption("--page <N>")]
    [Description("Page, from 0 (default: everything)")]
    public int? Page { get; init; }

    [CommandOption("--page-size <N>")]
    public int? PageSize { get; init; }
}

/// <summary><c>fabrica id list PREFIX</c>: the handles under a prefix (viewer token).</summary>
internal sealed class IdListCommand : AsyncCommand<IdListSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IdListSettings s, CancellationToken cancellationToken)
    {
        using var api = new HandleApi(s, tokenRequired: true);
        var query = "?prefix=" + Uri.EscapeDataString(s.Prefix)
            + (s.Page is { } page ? "&page=" + page.ToString(CultureInfo.InvariantCulture) : "")
            + (s.PageSize is { } size ? "&pageSize=" + size.ToString(CultureInfo.InvariantCulture) : "");
        var answer = await api.GetAsync("/api/handles" + query, cancellationToken);
        if (!answer.Succeeded)
            throw new CliException($"{s.Prefix}: {answer.Describe()}");
        foreach (var handle in answer.Body.GetProperty("handles").EnumerateArray())
            Console.WriteLine(handle.GetString());
        Console.Error.WriteLine($"{answer.Body.GetProperty("totalCount").GetInt32()} handles under {s.Prefix}");
        return 0;
    }
}
