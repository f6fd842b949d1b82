using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Fabrica.Console.Tests.Infrastructure;

/// <summary>
/// `fabrica demo` from the publish output on 127.0.0.1 with free ports and its own data directory: the platform, the
/// simulated line and its edge. Ready when the demo says its edge runs (after the "fabrica ready" line). Dispose sends
/// SIGTERM, then SIGKILL if it hangs, and deletes the data.
/// </summary>
public sealed partial class DemoProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private DemoProcess(Process process, string data)
    {
        _process = process;
        DataDirectory = data;
    }

    /// <summary>The identifier prefix the demo node holds, so that the lookup tests can create handles under it.</summary>
    public const string IdentifierPrefix = "88.100.12";

    public string DataDirectory { get; }
    public int HttpPort { get; private set; }
    public int MqttPort { get; private set; }
    public Uri HttpUri => new($"http://127.0.0.1:{HttpPort}/");
    public string AdminToken => File.ReadAllText(Path.Combine(DataDirectory, "admin.token")).Trim();

    public string Output
    {
        get
        {
            lock (_output)
                return string.Join('\n', _output);
        }
    }

    public static async Task<DemoProcess> StartAsync(string publishDirectory, TimeSpan timeout)
    {
        var data = Path.Combine(Path.GetTempPath(), "fabrica-console-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(data);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = data };
        foreach (var arg in new[] { Path.Combine(publishDirectory, "fabrica.dll"), "demo", "--data", data, "--http-port", "0", "--mqtt-port", "0", "--handle-port", "0", "--bind", "127.0.0.1", "--prefix", IdentifierPrefix })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start fabrica demo");
        var demo = new DemoProcess(process, data);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            demo.Append(e.Data);
            if (ReadyLine().Match(e.Data) is { Success: true } match)
            {
                demo.HttpPort = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                demo.MqttPort = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            }
            if (e.Data.StartsWith("demo: simulated line", StringComparison.Ordinal))
                ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                demo.Append(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(ready.Task, exited, Task.Delay(timeout)) != ready.Task)
        {
            var output = demo.Output;
            await demo.DisposeAsync();
            throw new InvalidOperationException($"fabrica demo did not become ready in {timeout}:\n{output}");
        }
        return demo;
    }

    private void Append(string line)
    {
        lock (_output)
            _output.Add(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                await kill!.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; the test's outcome does not depend on it.
        }
    }

    [GeneratedRegex(@"^fabrica ready http=(\d+) mqtt=(\d+)")]
    private static partial Regex ReadyLine();
}
