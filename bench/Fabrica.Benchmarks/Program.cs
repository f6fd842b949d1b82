using BenchmarkDotNet.Running;
using Fabrica.Benchmarks.Chunks;

if (args.Length > 0 && args[0] == "--edge-loop")
{
    // Edge loop latency on a live runtime (Edge/EdgeLoopLatency.cs): --edge-loop [transitions] [pollMs]
    var transitions = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000;
    var pollMs = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10;
    await Fabrica.Benchmarks.Edge.EdgeLoopLatency.RunAsync(Console.Out, transitions, TimeSpan.FromMilliseconds(pollMs));
    return;
}

if (args.Contains("--codec-report"))
{
    CodecReport.Print(Console.Out);
    return;
}

if (args.Length > 0 && args[0] == "--rule-throughput")
{
    Fabrica.Benchmarks.Rules.RuleThroughput.Run(Console.Out, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5_000_000);
    return;
}

if (args.Length > 1 && args[0] == Fabrica.Benchmarks.Modbus.SimulatedModbusDevices.ChildArgument)
{
    await Fabrica.Benchmarks.Modbus.SimulatedModbusDevices.ServeAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (args.Length > 0 && args[0] == Fabrica.Benchmarks.Modbus.EdgePollThroughput.Argument)
{
    // --modbus-poll [devices] [seconds per mode] [poll period in ms, 0 = back to back]
    await Fabrica.Benchmarks.Modbus.EdgePollThroughput.RunAsync(
        Console.Out,
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50,
        TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10),
        TimeSpan.FromMilliseconds(args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 0));
    return;
}

if (args.Length > 0 && args[0] == Fabrica.Benchmarks.OpcUa.MonitoredItemThroughput.Argument)
{
    // --opcua-items [items,items,…] [change interval ms] [seconds]
    await Fabrica.Benchmarks.OpcUa.MonitoredItemThroughput.RunAsync(
        Console.Out,
        args.Length > 1 ? [.. args[1].Split(',').Select(n => int.Parse(n, System.Globalization.CultureInfo.InvariantCulture))] : [1000, 5000, 10000],
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 100,
        TimeSpan.FromSeconds(args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 20));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
