using BenchmarkDotNet.Running;
using Fabrica.Benchmarks.ChunkEncoding;

if (args.Contains("--codec-report"))
{
    CodecReport.Print(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
