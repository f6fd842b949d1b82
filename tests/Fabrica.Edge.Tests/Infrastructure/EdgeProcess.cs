using System.Diagnostics;

namespace Fabrica.Edge.Tests.Infrastructure;

/// <summary>An edge process (<see cref="EdgeHostProgram"/>) whose stdout lines are collected; ready is its ready line.</summary>
public sealed class EdgeProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _eof = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EdgeProcess(string configPath)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(typeof(EdgeHostProgram).Assembly.Location);
        info.ArgumentList.Add("edge-host");
        info.ArgumentList.Add(configPath);
        _process = Process.Start(info) ?? throw new InvalidOperationException("cannot start the edge process");
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _eof.TrySetResult();
                return;
            }
            lock (_lines)
                _lines.Add(e.Data);
            if (e.Data.StartsWith("fabrica edge ready", StringComparison.Ordinal))
                _ready.TrySetResult();
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_lines)
                    _lines.Add("stderr: " + e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static async Task<EdgeProcess> StartAsync(string configPath)
    {
        var edge = new EdgeProcess(configPath);
        var exited = edge._process.WaitForExitAsync();
        if (await Task.WhenAny(edge._ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(60))) != edge._ready.Task)
        {
            edge.Dispose();
            throw new InvalidOperationException("the edge process did not get ready:\n" + string.Join('\n', edge.Lines));
        }
        return edge;
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
                return [.. _lines];
        }
    }

    /// <summary>(value, timestamp) of every reading the process printed.</summary>
    public IReadOnlyList<(long Value, long Timestamp)> Reads => [.. Lines
        .Where(l => l.StartsWith("read ", StringComparison.Ordinal))
        .Select(l => l.Split(' '))
        .Select(p => (long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture), long.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture)))];

    /// <summary>SIGKILL: no shutdown code runs. Returns once the process is gone and its output fully read.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        await _eof.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>SIGTERM, as systemd stops a service; returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _eof.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
