using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Fabrica.Protocols.Tests.OpcUa.Interop;

/// <summary>
/// The node-opcua server of tests/peers/opcua/server.js on a free 127.0.0.1 port, started once per test
/// collection, ready when it prints READY, stopped (stdin closed, then killed) at the end. A test that stops and
/// restarts the server makes its own instance (<see cref="KillAsync"/>, <see cref="StartAsync"/> on the same port).
/// </summary>
public sealed class NodeOpcUaServer : IAsyncLifetime
{
    private Process? _process;
    private readonly List<string> _log = [];

    /// <summary>server.js options after the port, e.g. <c>--epoch 1700000000000</c> or <c>--load 1000</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public int Port { get; private set; }

    /// <summary>The URL we dial: the host we chose, not the machine name the server announces.</summary>
    public string EndpointUrl => $"opc.tcp://127.0.0.1:{Port}/fabrica";

    /// <summary>What the server announced (carries the machine's host name).</summary>
    public string? AnnouncedUrl { get; private set; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    public Task InitializeAsync()
    {
        Port = FreePort();
        return StartAsync();
    }

    /// <summary>Starts server.js on <see cref="Port"/> (again, after <see cref="KillAsync"/>) and waits for READY.</summary>
    public async Task StartAsync()
    {
        var peer = FindPeerDirectory();
        var start = new ProcessStartInfo("node", ["server.js", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. Arguments])
        {
            WorkingDirectory = peer,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (_log)
            {
                _log.Add(e.Data);
            }
            if (e.Data.StartsWith("READY ", StringComparison.Ordinal))
            {
                ready.TrySetResult(e.Data["READY ".Length..]);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_log)
                {
                    _log.Add(e.Data);
                }
            }
        };
        _process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"node-opcua exited before READY:\n{Log}"));
        _process.EnableRaisingEvents = true;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AnnouncedUrl = await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Kills the server process at once, as a crash or power loss would, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async Task DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }
        try
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        _process = null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindPeerDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "peers", "opcua");
            if (File.Exists(Path.Combine(candidate, "server.js")))
            {
                if (!Directory.Exists(Path.Combine(candidate, "node_modules", "node-opcua")))
                {
                    throw new InvalidOperationException($"node-opcua is not installed in {candidate}: run scripts/install-test-peers.sh");
                }
                return candidate;
            }
        }
        throw new InvalidOperationException("tests/peers/opcua/server.js not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class NodeOpcUaCollection : ICollectionFixture<NodeOpcUaServer>
{
    public const string Name = "node-opcua server";
}
