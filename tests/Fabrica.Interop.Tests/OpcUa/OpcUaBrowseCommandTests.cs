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

            // The fragment is ready to paste: as a device of an edge configuration it passes the edge's own checks and
            // the opcua adapter's, with and without --by-path.
            AssertFragmentIsAValidDevice(output);
            var (byPathExit, byPath) = await FabricaCli.RunAsync("opcua", "browse", $"opc.tcp://127.0.0.1:{port}", "--depth", "3", "--by-path");
            Assert.True(byPathExit == 0, byPath);
            Assert.Contains("\"address\": \"/1:Fabrica/1:Counter\"", byPath, StringComparison.Ordinal);
            AssertFragmentIsAValidDevice(byPath);
        }
        finally
        {
            server.StandardInput.Close();
            if (!server.WaitForExit(10_000))
                server.Kill(entireProcessTree: true);
        }
    }

    private static void AssertFragmentIsAValidDevice(string output)
    {
        const string Marker = "Edge config fragment";
        var fragment = output[output.IndexOf('{', output.IndexOf(Marker, StringComparison.Ordinal))..].Trim();
        var config = $$"""{"id": "edge-1", "token": "fbg_x", "platform": {"host": "127.0.0.1"}, "devices": [{{fragment}}]}""";
        var options = Fabrica.Edge.Configuration.EdgeConfigLoader.Parse(config, "edge.json", Path.GetTempPath());
        var device = Assert.Single(options.Devices);
        Assert.Equal("opcua", device.Adapter);
        Assert.Contains(device.Tags, t => t.Address is "ns=1;s=Counter" or "/1:Fabrica/1:Counter" && t.DataType == "UInt32");
        Assert.Empty(new Fabrica.Edge.Adapters.OpcUa.OpcUaDeviceAdapterFactory().Validate(device, "$.devices[0]"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
