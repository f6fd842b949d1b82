using BenchmarkDotNet.Running;
using Fabrica.Benchmarks.Chunks;

if (args.Contains("--codec-report"))
{
    CodecReport.Print(Console.Out);
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

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
