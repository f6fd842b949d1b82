using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands.Identifiers;

internal sealed class IdImportSettings : ClientSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("CSV: a header 'handle,TYPE,TYPE,…' then one identifier per line; a column 'private:TYPE' is for authorised readers only")]
    public string File { get; init; } = "";

    [CommandOption("--parallel <N>")]
    [Description("Requests in flight (default 8)")]
    public int Parallel { get; init; } = 8;

    [CommandOption("--no-overwrite")]
    [Description("Count existing handles as failures instead of replacing them")]
    public bool NoOverwrite { get; init; }

    public override ValidationResult Validate() =>
        !System.IO.File.Exists(File) ? ValidationResult.Error($"'{File}' does not exist.")
        : Parallel is < 1 or > 256 ? ValidationResult.Error("--parallel is 1 to 256.")
        : ValidationResult.Success();
}

/// <summary>
/// <c>fabrica id import FILE.csv</c>: registers thousands of identifiers over REST, several requests in flight, with a
/// Spectre progress bar on a terminal and a progress line every 5 % otherwise (logs, CI). Each row becomes one record
/// whose values take the columns' types, in column order (index 1, 2, …); empty cells are skipped. Failures are
/// listed at the end (at most 20) and make the exit code 1.
/// </summary>
internal sealed class IdImportCommand : AsyncCommand<IdImportSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IdImportSettings s, CancellationToken cancellationToken)
    {
        var lines = await System.IO.File.ReadAllLinesAsync(s.File, cancellationToken);
        if (lines.Length == 0)
            throw new CliException($"{s.File} is empty.");
        var header = Csv.Split(lines[0]);
        if (header.Count < 2 || !header[0].Equals("handle", StringComparison.OrdinalIgnoreCase))
            throw new CliException($"{s.File}: the first line must be a header 'handle,TYPE,…' (e.g. handle,URL,manufacturer,private:batch).");
        // Each row keeps its line number in the file, so a failure names the line to fix.
        var rows = lines.Select((text, i) => (Line: i + 1, Text: text)).Skip(1).Where(r => r.Text.Length > 0).ToList();
        using var api = new HandleApi(s, tokenRequired: true);
        var done = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        async Task ImportAsync(Action<int> advanced)
        {
            await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = s.Parallel, CancellationToken = cancellationToken }, async (row, ct) =>
            {
                var cells = Csv.Split(row.Text);
                var handle = cells[0];
                try
                {
                    if (RowProblem(header, cells) is { } problem)
                        failures.Enqueue($"{s.File} line {row.Line}: {problem}");
                    else if (await api.PutAsync(HandleApi.Route(handle) + (s.NoOverwrite ? "?overwrite=false" : ""), ToJson(header, cells), ct) is { Succeeded: false } answer)
                        failures.Enqueue($"{s.File} line {row.Line}: {handle}: {answer.Describe()}");
                }
                catch (CliException e)
                {
                    failures.Enqueue($"{s.File} line {row.Line}: {handle}: {e.Message}");
                }
                advanced(Interlocked.Increment(ref done));
            });
        }

        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask($"importing {rows.Count} identifiers", maxValue: rows.Count);
                    await ImportAsync(_ => task.Increment(1));
                });
        }
        else
        {
            var step = Math.Max(1, rows.Count / 20);
            await ImportAsync(n =>
            {
                if (n % step == 0 || n == rows.Count)
                    Console.Error.WriteLine($"imported {n}/{rows.Count} ({100L * n / Math.Max(1, rows.Count)} %)");
            });
        }
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{rows.Count - failures.Count} of {rows.Count} identifiers registered in {seconds:F1} s ({rows.Count / Math.Max(seconds, 0.001):F0}/s)");
        foreach (var failure in failures.Take(20))
            Console.Error.WriteLine("failed: " + failure);
        if (failures.Count > 20)
            Console.Error.WriteLine($"… and {failures.Count - 20} more");
        return failures.IsEmpty ? 0 : 1;
    }

    /// <summary>Why a row cannot be sent, or null: more fields than the header, or a first field that is no handle.</summary>
    private static string? RowProblem(IReadOnlyList<string> header, IReadOnlyList<string> cells)
    {
        if (cells.Count > header.Count)
            return $"{cells.Count} fields, but the header has {header.Count}";
        return Fabrica.Identifiers.Model.HandleName.TryParse(cells[0], out _, out var error) ? null : $"'{cells[0]}' is not a handle: {error}";
    }

    private static string ToJson(IReadOnlyList<string> header, IReadOnlyList<string> cells)
    {
        var values = new List<HandleValueJson>();
        for (var i = 1; i < header.Count && i < cells.Count; i++)
        {
            if (cells[i].Length == 0)
                continue;
            var restricted = header[i].StartsWith("private:", StringComparison.OrdinalIgnoreCase);
            var type = restricted ? header[i]["private:".Length..] : header[i];
            values.Add(new HandleValueJson(i, type, new HandleDataJson("string", cells[i]), restricted ? "1100" : null));
        }
        return JsonSerializer.Serialize(values, CliIdJsonContext.Default.ListHandleValueJson);
    }
}

/// <summary>RFC 4180 fields: commas separate, double quotes enclose, a doubled quote inside quotes is one quote.</summary>
internal static class Csv
{
    public static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        fields.Add(field.ToString().TrimEnd('\r'));
        return fields;
    }
}
