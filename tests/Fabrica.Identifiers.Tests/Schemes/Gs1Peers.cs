using System.Diagnostics;
using System.Text.Json;

namespace Fabrica.Identifiers.Tests.Schemes;

/// <summary>
/// The npm peers of tests/peers/gs1 (epc-tds, digital-link.js), installed by scripts/install-test-peers.sh. One node
/// process per batch: requests go in as lines on stdin, answers come back as JSON lines in the same order.
/// </summary>
internal static class Gs1Peers
{
    public static string Folder { get; } = FindFolder();

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fabrica.slnx")))
                return Path.Combine(dir.FullName, "tests", "peers", "gs1");
        }
        throw new InvalidOperationException("Fabrica.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs <paramref name="script"/> over <paramref name="lines"/> and returns one parsed answer per line.</summary>
    public static async Task<IReadOnlyList<JsonElement>> RunAsync(string script, IReadOnlyList<string> lines)
    {
        Assert.True(Directory.Exists(Path.Combine(Folder, "node_modules")), $"npm peers missing: run scripts/install-test-peers.sh (expected {Folder}/node_modules)");
        var start = new ProcessStartInfo("node", script)
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        foreach (var line in lines)
            await node.StandardInput.WriteLineAsync(line);
        node.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"{script} failed: {await errors}");
        var answers = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(lines.Count, answers.Count);
        return answers;
    }
}
