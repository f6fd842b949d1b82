using System.Diagnostics;
using System.Text.Json;

namespace Fabrica.Edge.Tests.Uplink;

/// <summary>
/// tests/peers/sparkplug/host.js: a Sparkplug host application on npm mqtt + sparkplug-payload (Eclipse Tahu's
/// codec), nobody here wrote its decoder. Every decoded message is kept in arrival order; waits poll that list.
/// </summary>
internal sealed class SparkplugHostPeer : IDisposable
{
    private readonly Process _process;
    private readonly List<JsonElement> _lines = [];
    private readonly Lock _gate = new();

    private SparkplugHostPeer(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (string.IsNullOrWhiteSpace(e.Data))
                return;
            var line = JsonDocument.Parse(e.Data).RootElement.Clone();
            lock (_gate)
                _lines.Add(line);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static async Task<SparkplugHostPeer> StartAsync(int port, string group)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = PeerDirectory(),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "host.js", $"mqtt://127.0.0.1:{port}", group })
            info.ArgumentList.Add(argument);
        var peer = new SparkplugHostPeer(Process.Start(info) ?? throw new InvalidOperationException("cannot start node"));
        await peer.WaitForAsync(l => l.GetProperty("event").GetString() == "subscribed", "the npm host subscribes");
        return peer;
    }

    /// <summary>Decoded messages so far (event = message), in arrival order.</summary>
    public List<JsonElement> Messages
    {
        get
        {
            lock (_gate)
                return _lines.Where(l => l.GetProperty("event").GetString() == "message").ToList();
        }
    }

    public List<JsonElement> Errors
    {
        get
        {
            lock (_gate)
                return _lines.Where(l => l.GetProperty("event").GetString() == "error").ToList();
        }
    }

    public void Send(string command)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
    }

    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what, int skip = 0)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            lock (_gate)
            {
                var found = _lines.Skip(skip).FirstOrDefault(match);
                if (found.ValueKind != JsonValueKind.Undefined)
                    return found;
            }
            if (DateTime.UtcNow > deadline || _process.HasExited)
                throw new TimeoutException($"timed out waiting for: {what}; the npm host saw: {string.Join("\n", Snapshot().TakeLast(20).Select(l => l.GetRawText()))}");
            await Task.Delay(20);
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
                return _lines.Count;
        }
    }

    private List<JsonElement> Snapshot()
    {
        lock (_gate)
            return [.. _lines];
    }

    private static string PeerDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "peers", "sparkplug");
            if (File.Exists(Path.Combine(candidate, "host.js")))
                return candidate;
        }
        throw new DirectoryNotFoundException("tests/peers/sparkplug/host.js not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
    }
}
