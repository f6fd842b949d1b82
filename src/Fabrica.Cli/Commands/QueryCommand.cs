using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands;

internal sealed class QuerySettings : ClientSettings
{
    [CommandArgument(0, "<DEVICE>")]
    public string Device { get; init; } = "";

    [CommandOption("--keys <KEYS>")]
    [Description("Comma-separated tags (default: all)")]
    public string? Keys { get; init; }

    [CommandOption("--from <TIME>")]
    [Description("Epoch ms or RFC 3339 (default: one hour ago)")]
    public string? From { get; init; }

    [CommandOption("--to <TIME>")]
    public string? To { get; init; }

    [CommandOption("--interval <INTERVAL>")]
    [Description("Bucket size: 500ms, 10s, 1m, 1h, 1d (default: raw samples)")]
    public string? Interval { get; init; }

    [CommandOption("--agg <AGG>")]
    [Description("avg, min, max, sum, count, first, last (default avg)")]
    public string? Agg { get; init; }

    [CommandOption("--limit <N>")]
    public int? Limit { get; init; }

    [CommandOption("--latest")]
    [Description("Only the latest value of each tag")]
    public bool Latest { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default), csv or json")]
    public string Format { get; init; } = "table";

    public override ValidationResult Validate() => Format is "table" or "csv" or "json"
        ? ValidationResult.Success()
        : ValidationResult.Error("--format must be table, csv or json.");
}

/// <summary><c>fabrica query DEVICE</c>: stored telemetry as a table, CSV or JSON.</summary>
internal sealed class QueryCommand : AsyncCommand<QuerySettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, QuerySettings s, CancellationToken cancellationToken)
    {
        using var api = new ApiClient(s);
        var device = Uri.EscapeDataString(s.Device);
        var result = s.Latest
            ? await api.GetAsync($"/api/v1/devices/{device}/latest", cancellationToken)
            : await api.GetAsync($"/api/v1/devices/{device}/telemetry{QueryString(s)}", cancellationToken);
        var rows = s.Latest
            ? result.EnumerateObject().Select(p => (Key: p.Name, Point: p.Value))
            : result.EnumerateObject().SelectMany(p => p.Value.EnumerateArray().Select(v => (Key: p.Name, Point: v)));
        switch (s.Format)
        {
            case "json":
                Console.WriteLine(JsonSerializer.Serialize(result, CliJsonContext.Default.JsonElement));
                break;
            case "csv":
                Console.WriteLine("key,ts,time,value,q");
                foreach (var (key, point) in rows)
                    Console.WriteLine($"{Csv(key)},{Ts(point)},{Time(point)},{Csv(Value(point))},{Quality(point)}");
                break;
            default:
                var table = new Table().AddColumns("key", "time (UTC)", "value", "quality");
                foreach (var (key, point) in rows)
                    table.AddRow(Markup.Escape(key), Time(point), Markup.Escape(Value(point)), Quality(point));
                AnsiConsole.Write(table);
                break;
        }
        return 0;
    }

    private static string QueryString(QuerySettings s)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
        }
        Add("keys", s.Keys);
        Add("from", s.From);
        Add("to", s.To);
        Add("interval", s.Interval);
        Add("agg", s.Agg);
        Add("limit", s.Limit?.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private static long Ts(JsonElement p) => p.GetProperty("ts").GetInt64();

    private static string Time(JsonElement p) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Ts(p)).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string Value(JsonElement p) => p.GetProperty("value") is var v && v.ValueKind == JsonValueKind.String
        ? v.GetString() ?? "" : p.GetProperty("value").GetRawText();

    private static string Quality(JsonElement p) => p.TryGetProperty("q", out var q) ? q.GetString() ?? "" : "good";

    private static string Csv(string text) =>
        text.AsSpan().IndexOfAny(",\"\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
