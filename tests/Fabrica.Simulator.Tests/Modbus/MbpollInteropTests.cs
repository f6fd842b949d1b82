using System.Diagnostics;
using System.Globalization;
using Fabrica.Simulator.Runtime;

namespace Fabrica.Simulator.Tests.Modbus;

/// <summary>Debian's mbpoll (libmodbus), a client nobody here wrote, against the simulator (peer from tests/peers/modbus/apt.txt).</summary>
public sealed class MbpollInteropTests
{
    [Fact]
    public async Task Mbpoll_reads_the_tick_counter_high_word_first_and_writes_a_setpoint()
    {
        await using var simulator = PlantSimulator.Start(new SimulatorOptions { BasePort = 0, RunClock = false });
        simulator.Plant.Run(70_000); // past 65535: the high word matters
        var port = simulator["pump-1"].EndPoint.Port.ToString(CultureInfo.InvariantCulture);

        // -0: addresses as in docs/simulator.md (zero-based); -B: 32-bit values most significant word first (ABCD).
        var read = await MbpollAsync("-m", "tcp", "-a", "1", "-p", port, "-0", "-B", "-t", "3:int", "-r", "0", "-c", "1", "-1", "127.0.0.1");
        Assert.Contains("[0]: \t70000", read, StringComparison.Ordinal);

        await MbpollAsync("-m", "tcp", "-a", "1", "-p", port, "-0", "-t", "4", "-r", "0", "127.0.0.1", "400");
        Assert.Equal(40, simulator.Plant.Get<Fabrica.Simulator.Machines.Pump>("pump-1").ValveSetpoint, 6);
    }

    private static async Task<string> MbpollAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("mbpoll") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        var text = await output + await error;
        Assert.True(process.ExitCode == 0, $"mbpoll {string.Join(' ', arguments)} exited {process.ExitCode}:\n{text}");
        return text;
    }
}
