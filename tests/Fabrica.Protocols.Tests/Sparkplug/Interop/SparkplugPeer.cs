using System.Diagnostics;
using System.Text.Json;

namespace Fabrica.Protocols.Tests.Sparkplug.Interop;

/// <summary>
/// The npm peers in tests/peers/sparkplug (installed by scripts/install-test-peers.sh): sparkplug-payload, the
/// Eclipse Tahu JavaScript codec, run through payload.js one batch per call.
/// </summary>
internal static class SparkplugPeer
{
    public static string Directory { get; } = FindPeerDirectory();

    public static async Task<List<JsonElement>> DecodeAsync(IEnumerable<byte[]> payloads)
    {
        var lines = await RunAsync("decode", payloads.Select(Convert.ToBase64String));
        return lines.Select(line => JsonDocument.Parse(line).RootElement.Clone()).Select(NoError).ToList();
    }

    public static async Task<List<byte[]>> EncodeAsync(IEnumerable<string> jsonPayloads)
    {
        var lines = await RunAsync("encode", jsonPayloads);
        return lines.Select(line => line.StartsWith('{') ? throw new InvalidOperationException(line) : Convert.FromBase64String(line)).ToList();
    }

    public static ProcessStartInfo Node(string script, params string[] arguments)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        return info;
    }

    private static async Task<List<string>> RunAsync(string mode, IEnumerable<string> input)
    {
        using var process = Process.Start(Node("payload.js", mode))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        foreach (var line in input)
            await process.StandardInput.WriteLineAsync(line);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(process.ExitCode == 0, $"node payload.js {mode} exited {process.ExitCode}: {await errors}");
        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private static JsonElement NoError(JsonElement element) =>
        element.TryGetProperty("error", out var error) ? throw new InvalidOperationException("sparkplug-payload: " + error.GetString()) : element;

    private static string FindPeerDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "peers", "sparkplug");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                if (!System.IO.Directory.Exists(Path.Combine(candidate, "node_modules", "sparkplug-payload")))
                    throw new InvalidOperationException($"npm peers missing in {candidate}: run scripts/install-test-peers.sh");
                return candidate;
            }
        }
        throw new InvalidOperationException("tests/peers/sparkplug not found above " + AppContext.BaseDirectory);
    }
}
