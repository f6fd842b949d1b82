using BenchmarkDotNet.Running;
using Fabrica.Benchmarks.Chunks;

if (args.Contains("--codec-report"))
{
    CodecReport.Print(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
