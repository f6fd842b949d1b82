using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Fabrica.Interop.Tests.Infrastructure;

namespace Fabrica.Interop.Tests.Edge;

/// <summary>
/// Any long-running `fabrica` command as its own process (`dotnet fabrica.dll …`), ready when a line of its stdout
/// matches a pattern — never after a sleep. Unlike <see cref="ServerProcess"/> it takes the arguments as given, so
/// that a platform can be restarted on the ports it had, and an edge started from its configuration file.
/// Dispose stops it with SIGTERM, then SIGKILL; <see cref="Kill"/> is the crash.
/// </summary>
public sealed class FabricaProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private bool _disposed;

    private FabricaProcess(Process process) => _process = process;

    /// <summary>The groups of the ready line.</summary>
    public Match Ready { get; private set; } = Match.Empty;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
                return string.Join('\n', _output);
        }
    }

    public static Task<FabricaProcess> StartAsync(Regex ready, TimeSpan timeout, params string[] args) =>
        StartAsync(ready, timeout, new Dictionary<string, string>(), args);

    /// <summary>As <see cref="StartAsync(Regex, TimeSpan, string[])"/>, with variables added to the inherited environment.</summary>
    public static async Task<FabricaProcess> StartAsync(Regex ready, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        info.ArgumentList.Add(ServerProcess.FabricaDll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start fabrica");
        var started = new FabricaProcess(process);
        var readySeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            started.Append(e.Data);
            if (ready.Match(e.Data) is { Success: true } match && !readySeen.Task.IsCompleted)
            {
                started.Ready = match;
                readySeen.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                started.Append(e.Data);
        };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => readySeen.TrySetException(new InvalidOperationException($"fabrica {args[0]} exited before ready:\n{started.Output}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await readySeen.Task.WaitAsync(timeout);
        }
        catch
        {
            started.Dispose();
            throw;
        }
        return started;
    }

    private void Append(string line)
    {
        lock (_output)
            _output.Add(line);
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_disposed && !_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>
    /// SIGKILL to this process alone (one kill(2), no walk of the process tree, which took half a second on a loaded
    /// machine), then waits for the exit. Returns the Unix time in ms when the signal had been sent: the process ran
    /// no code after it, so it is the time of the crash to within the clock's resolution.
    /// </summary>
    public long Crash()
    {
        _process.Kill(entireProcessTree: false);
        var sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _process.WaitForExit();
        return sent;
    }

    /// <summary>SIGTERM; the exit code, or null if it did not exit in time.</summary>
    public int? Terminate(TimeSpan timeout)
    {
        if (_process.HasExited)
            return _process.ExitCode;
        Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
        return _process.WaitForExit(timeout) ? _process.ExitCode : null;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (!_process.HasExited && Terminate(TimeSpan.FromSeconds(20)) is null)
            Kill();
        _process.Dispose();
    }
}
