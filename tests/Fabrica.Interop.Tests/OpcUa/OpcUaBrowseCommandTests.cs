using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Fabrica.Interop.Tests.Infrastructure;

namespace Fabrica.Interop.Tests.OpcUa;

/// <summary>`fabrica opcua browse` against a node-opcua server (tests/peers/opcua/server.js), as an engineer runs it.</summary>
public sealed class OpcUaBrowseCommandTests
{
    [Fact]
    public async Task Browse_prints_the_tree_and_an_edge_config_fragment()
    {
        var port = FreePort();
        var info = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, WorkingDirectory = RepositoryRoot.Peer("opcua") };
        info.ArgumentList.Add("server.js");
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var server = Process.Start(info)!;
        try
        {
            var ready = new TaskCompletionSource();
            server.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.StartsWith("READY ", StringComparison.Ordinal) == true)
                    ready.TrySetResult();
            };
            server.BeginOutputReadLine();
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));

            var (exit, output) = await FabricaCli.RunAsync("opcua", "browse", $"opc.tcp://127.0.0.1:{port}", "--start", "ns=1;s=Fabrica", "--depth", "2");

            Assert.True(exit == 0, output);
            Assert.Contains("Counter", output, StringComparison.Ordinal);
            Assert.Contains("Methods", output, StringComparison.Ordinal);
            Assert.Contains("ns=1;s=Counter", output, StringComparison.Ordinal);
        }
        finally
        {
            server.StandardInput.Close();
            if (!server.WaitForExit(10_000))
                server.Kill(entireProcessTree: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
