using System.Diagnostics;
using System.Globalization;
using System.Net;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Benchmarks.Modbus;

/// <summary>
/// The device side of the poll throughput benchmark, in its own process so that the edge process's CPU is its own:
/// N Modbus TCP servers of the protocol library (the server <c>fabrica sim</c> uses) on 127.0.0.1, one port each,
/// every table 10,000 entries deep. The child prints its ports on one line and runs until its standard input closes.
/// </summary>
internal sealed class SimulatedModbusDevices : IAsyncDisposable
{
    public const string ChildArgument = "--modbus-devices";

    private readonly Process _process;

    private SimulatedModbusDevices(Process process, int[] ports)
    {
        _process = process;
        Ports = ports;
    }

    public int[] Ports { get; }

    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts this executable again as the device process and waits for its ports.</summary>
    public static async Task<SimulatedModbusDevices> StartAsync(int devices)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SimulatedModbusDevices).Assembly.Location);
        }

        start.ArgumentList.Add(ChildArgument);
        start.ArgumentList.Add(devices.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line is null || !line.StartsWith("ports ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"the device process did not start: {line}");
        }

        return new SimulatedModbusDevices(process, [.. line[6..].Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture))]);
    }

    /// <summary>The child: serve until standard input closes.</summary>
    public static async Task ServeAsync(int devices)
    {
        var model = new ModbusMemoryDataModel().Add(1, new ModbusMemoryUnit());
        var servers = new List<ModbusTcpServer>();
        for (var i = 0; i < devices; i++)
        {
            var server = new ModbusTcpServer(model, new ModbusServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
            server.Start();
            servers.Add(server);
        }

        Console.WriteLine("ports " + string.Join(',', servers.Select(s => s.LocalEndPoint.Port)));
        await Console.In.ReadToEndAsync();
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(10_000))
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
