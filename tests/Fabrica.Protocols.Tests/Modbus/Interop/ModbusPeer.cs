using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Fabrica.Protocols.Tests.Modbus.Interop;

/// <summary>
/// A peer process from tests/peers/modbus (installed by scripts/install-test-peers.sh): started on a free
/// loopback port, awaited until it accepts connections, killed on dispose.
/// </summary>
internal sealed class ModbusPeer : IDisposable
{
    private readonly System.Text.StringBuilder _output = new();
    private Process? _process;

    private ModbusPeer(string fileName, string[] arguments, int port)
    {
        FileName = fileName;
        Arguments = arguments;
        Port = port;
    }

    public static string PeerDirectory { get; } = FindPeerDirectory();

    public string FileName { get; }

    public string[] Arguments { get; }

    public int Port { get; }

    /// <summary>The Debian pymodbus 3.0 server (it imports only under /usr/bin/python3).</summary>
    public static Task<ModbusPeer> StartPymodbusAsync() => StartAsync("/usr/bin/python3", "pymodbus_server.py");

    /// <summary>The npm modbus-serial server.</summary>
    public static Task<ModbusPeer> StartModbusSerialAsync() => StartAsync("node", "modbus_serial_server.js");

    public static int FreePort()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Kills the process (as a crashed device would vanish) and starts it again on the same port.</summary>
    public async Task RestartAsync()
    {
        Kill();
        await LaunchAsync();
    }

    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();

    /// <summary>What the peer printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Log(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>Runs a peer command to completion (mbpoll, the npm client) and returns exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName) { WorkingDirectory = PeerDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task<ModbusPeer> StartAsync(string fileName, string script)
    {
        var port = FreePort();
        var peer = new ModbusPeer(fileName, [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture)], port);
        await peer.LaunchAsync();
        return peer;
    }

    private async Task LaunchAsync()
    {
        var info = new ProcessStartInfo(FileName) { WorkingDirectory = PeerDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException($"{FileName} did not start.");
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Ready when it accepts a connection: no sleeping and hoping.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            Assert.False(_process.HasExited, $"{FileName} {string.Join(' ', Arguments)} exited with {(_process.HasExited ? _process.ExitCode : 0)}; run scripts/install-test-peers.sh.");
            try
            {
                using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            catch (SocketException ex)
            {
                throw new InvalidOperationException($"{FileName} {string.Join(' ', Arguments)} did not listen in time. Output:\n{Output}", ex);
            }
        }
    }

    // The source file's own path (fixed at compile time) leads to the repository, wherever the tests were built.
    private static string FindPeerDirectory([CallerFilePath] string sourceFile = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(sourceFile)!); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "peers", "modbus");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/peers/modbus not found above " + sourceFile);
    }
}
