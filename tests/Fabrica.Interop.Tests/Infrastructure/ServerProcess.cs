using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Fabrica.Interop.Tests.Infrastructure;

/// <summary>
/// A real `fabrica serve` process on 127.0.0.1 with free ports and its own data directory. Readiness is the
/// "fabrica ready" line, never a sleep. Dispose stops it (SIGTERM, then SIGKILL); <see cref="Kill"/> is the crash.
/// </summary>
public sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ServerProcess(Process process, string dataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }
    public int HttpPort { get; private set; }
    public int MqttPort { get; private set; }
    public Uri HttpUri => new($"http://127.0.0.1:{HttpPort}");
    public string AdminToken => File.ReadAllText(Path.Combine(DataDirectory, "admin.token")).Trim();

    public string Output
    {
        get
        {
            lock (_output)
                return string.Join('\n', _output);
        }
    }

    public static string FabricaDll => Path.Combine(AppContext.BaseDirectory, "fabrica.dll");

    /// <summary>The MQTT over TLS port from the ready line (<c>mqtts=</c>), when started with <c>--mqtt-tls-port</c>.</summary>
    public int? MqttTlsPort { get; private set; }

    /// <summary>The TLS certificate's SHA-256 fingerprint from the ready line (<c>tls-sha256=</c>).</summary>
    public string? TlsFingerprint { get; private set; }

    /// <param name="extraArguments">Further options, e.g. <c>--mqtt-tls-port 0</c>.</param>
    /// <param name="httpPort">A fixed port (e.g. to restart on the ports of an earlier run); 0 = any free port.</param>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, TimeSpan? timeout = null, string command = "serve",
        IEnumerable<string>? extraArguments = null, int httpPort = 0, int mqttPort = 0)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var ports = new[] { httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var arg in new[] { FabricaDll, command, "--data", dataDirectory, "--http-port", ports[0], "--mqtt-port", ports[1], "--handle-port", "0", "--bind", "127.0.0.1" }.Concat(extraArguments ?? []))
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start fabrica");
        var server = new ServerProcess(process, dataDirectory);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            server.Append(e.Data);
            var match = ReadyLine().Match(e.Data);
            if (match.Success)
            {
                server.HttpPort = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                server.MqttPort = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (TlsFields().Match(e.Data) is { Success: true } tls)
                {
                    server.MqttTlsPort = int.Parse(tls.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                    server.TlsFingerprint = tls.Groups[2].Value;
                }
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                server.Append(e.Data);
        };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"fabrica exited before ready:\n{server.Output}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    private void Append(string line)
    {
        lock (_output)
            _output.Add(line);
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a power cut for the process.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>SIGTERM, as systemd or Ctrl+C would stop the server; returns the exit code, or null if it did not exit in time.</summary>
    public int? Terminate(TimeSpan timeout)
    {
        Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
        return _process.WaitForExit(timeout) ? _process.ExitCode : null;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first so that the server flushes as in production; SIGKILL if it hangs.
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
                Kill();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"^fabrica ready http=(\d+) mqtt=(\d+)")]
    private static partial Regex ReadyLine();

    [GeneratedRegex(@" mqtts=(\d+) tls-sha256=([0-9a-f]{64})")]
    private static partial Regex TlsFields();
}
