using System.Runtime.InteropServices;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Runtime;

namespace Fabrica.Edge.Tests.Infrastructure;

/// <summary>
/// <c>dotnet Fabrica.Edge.Tests.dll edge-host edge.json</c>: a real edge process with the counter adapter, for the
/// crash test (the product's <c>fabrica edge</c> ships no test adapter). Prints <c>read {value} {ts}</c> for each
/// reading before it enters the pipeline, so the test knows exactly what was read before a SIGKILL.
/// </summary>
public static class EdgeHostProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 2 || args[0] != "edge-host")
        {
            await Console.Error.WriteLineAsync("usage: edge-host <config.json>");
            return 2;
        }
        var options = EdgeConfigLoader.Load(args[1]);
        var output = Console.Out;
        var counters = new CounterAdapterFactory(TimeProvider.System, (_, value, ts) => output.WriteLine($"read {value} {ts}"));
        var runtime = new EdgeRuntime(options, new EdgeRuntimeServices { Adapters = [counters] });
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        await runtime.StartAsync();
        output.WriteLine($"fabrica edge ready id={options.Id}");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM
        }
        await runtime.DisposeAsync();
        output.WriteLine("stopped");
        return 0;
    }
}
