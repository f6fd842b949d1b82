using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Fabrica.Protocols.OpcUa;

namespace Fabrica.Benchmarks.OpcUa;

/// <summary>
/// Monitored items per second one <see cref="OpcUaClient"/> sustains from node-opcua on this machine (issue 4): the
/// peer of tests/peers/opcua runs with <c>--load N --load-interval T</c> (N Double variables, all changed every T ms),
/// one client subscribes to all N with sampling interval 0 (every change) in one subscription publishing every
/// 100 ms, and counts the values delivered in a window after a warm-up, checking per node that no change was lost or
/// repeated. Offered = N × 1000 / T values/s; sustained = what arrived. Both processes share the machine's cores,
/// and node-opcua (one Node.js thread) is usually the first to saturate: the figure is a floor for the client.
/// Allocated bytes per value are the whole process's (socket reads, chunk assembly, decoding, delivery).
/// </summary>
internal static class MonitoredItemThroughput
{
    public const string Argument = "--opcua-items";

    public static async Task RunAsync(TextWriter output, int[] loads, int intervalMs, TimeSpan window)
    {
        output.WriteLine($"{Environment.ProcessorCount} cores; node-opcua changes every variable each {intervalMs} ms; {window.TotalSeconds:0} s window after 5 s warm-up");
        output.WriteLine("| items | offered values/s | sustained values/s | lost | repeated | allocated per value |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var load in loads)
            output.WriteLine(await MeasureAsync(load, intervalMs, window).ConfigureAwait(false));
    }

    private static async Task<string> MeasureAsync(int load, int intervalMs, TimeSpan window)
    {
        var port = FreePort();
        using var server = StartServer(port, load, intervalMs);
        try
        {
            await using var client = await OpcUaClient.ConnectAsync($"opc.tcp://127.0.0.1:{port}/fabrica").ConfigureAwait(false);
            var nodes = Enumerable.Range(0, load).Select(i => new NodeId($"Load.{i}", 1)).ToArray();
            var indexOf = nodes.Select((node, i) => (node, i)).ToDictionary(p => p.node, p => p.i);
            var last = new long[load];
            long values = 0, lost = 0, repeated = 0;
            var counting = false;
            await using var subscription = await client.SubscribeAsync(nodes, TimeSpan.Zero, value =>
            {
                var index = indexOf[value.NodeId];
                var tick = (long)Math.Round(value.Value.Value.ToDouble()!.Value - (index / 10000.0));
                if (Volatile.Read(ref counting) && last[index] != 0)
                {
                    values++;
                    if (tick <= last[index])
                        repeated++;
                    else
                        lost += tick - last[index] - 1;
                }
                last[index] = tick;
                return ValueTask.CompletedTask;
            }, new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(100), QueueSize = 100, BufferCapacity = 100_000 }).ConfigureAwait(false);

            await Task.Delay(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            Volatile.Write(ref counting, true);
            await Task.Delay(window).ConfigureAwait(false);
            Volatile.Write(ref counting, false);
            var seconds = clock.Elapsed.TotalSeconds;
            var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            var n = Interlocked.Read(ref values);
            return string.Create(CultureInfo.InvariantCulture,
                $"| {load:N0} | {load * 1000.0 / intervalMs:N0} | {n / seconds:N0} | {lost:N0} | {repeated:N0} | {(n == 0 ? 0 : bytes / n):N0} B |");
        }
        finally
        {
            server.StandardInput.Close();
            if (!server.WaitForExit(10_000))
                server.Kill(entireProcessTree: true);
        }
    }

    private static Process StartServer(int port, int load, int intervalMs)
    {
        var peer = FindPeer();
        var info = new ProcessStartInfo("node") { WorkingDirectory = peer, RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "server.js", port.ToString(CultureInfo.InvariantCulture), "--load", load.ToString(CultureInfo.InvariantCulture), "--load-interval", intervalMs.ToString(CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("READY ", StringComparison.Ordinal))
                return process;
        }
        throw new InvalidOperationException("node-opcua exited before READY");
    }

    private static string FindPeer()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "peers", "opcua");
            if (File.Exists(Path.Combine(candidate, "server.js")))
                return candidate;
        }
        throw new InvalidOperationException("tests/peers/opcua not found: run from the repository (after scripts/install-test-peers.sh)");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
