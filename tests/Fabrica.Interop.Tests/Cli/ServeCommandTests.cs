using System.Net;
using System.Net.Sockets;
using Fabrica.Interop.Tests.Infrastructure;

namespace Fabrica.Interop.Tests.Cli;

/// <summary>The `fabrica` command as an operator runs it: start, stop, and the errors a person can fix.</summary>
public sealed class ServeCommandTests
{
    [Theory]
    [InlineData("serve")]
    [InlineData("demo")]
    public async Task Sigterm_stops_the_server_cleanly_and_a_restart_finds_its_data(string command)
    {
        using var data = new TempDirectory();
        using (var server = await ServerProcess.StartAsync(data.Path, command: command))
        {
            using var client = new PlatformClient(server);
            await client.RegisterDeviceAsync("term-1");
            Assert.Equal(0, server.Terminate(TimeSpan.FromSeconds(30)));
        }
        using var restarted = await ServerProcess.StartAsync(data.Path);
        using var again = new PlatformClient(restarted);
        var device = await again.GetJsonAsync("/api/v1/devices/term-1");
        Assert.Equal("term-1", device.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_port_in_use_is_reported_in_one_line_without_a_stack_trace()
    {
        using var data = new TempDirectory();
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;

        var (exit, output) = await FabricaCli.RunAsync("serve", "--data", data.Path, "--bind", "127.0.0.1",
            "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--mqtt-port", "0", "--handle-port", "0");

        Assert.Equal(1, exit);
        Assert.Contains("address already in use", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("--http-port", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }
}
