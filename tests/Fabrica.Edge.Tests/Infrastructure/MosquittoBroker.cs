using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Fabrica.Edge.Tests.Infrastructure;

/// <summary>
/// A real Debian mosquitto on a free 127.0.0.1 port, with persistence in its own directory so that a subscriber's
/// session (and the messages queued for it) survives <see cref="Stop"/> and <see cref="StartAsync"/>. Ready means the port
/// accepts connections; never a sleep.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    private readonly string _directory;
    private Process? _process;

    public MosquittoBroker(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        File.WriteAllText(Path.Combine(directory, "mosquitto.conf"), $"""
            listener {Port} 127.0.0.1
            allow_anonymous true
            persistence true
            persistence_location {directory}/
            log_dest file {directory}/mosquitto.log
            max_queued_messages 100000
            """);
    }

    public int Port { get; }

    public static bool Installed => File.Exists("/usr/sbin/mosquitto");

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("/usr/sbin/mosquitto") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Path.Combine(_directory, "mosquitto.conf"));
        _process = Process.Start(info) ?? throw new InvalidOperationException("cannot start mosquitto");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(20);
            }
        }
    }

    /// <summary>SIGTERM: mosquitto saves its persistence file and exits; clients see the connection drop.</summary>
    public void Stop()
    {
        if (_process is null)
            return;
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
                _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
        _process = null;
    }

    public void Dispose() => Stop();
}
