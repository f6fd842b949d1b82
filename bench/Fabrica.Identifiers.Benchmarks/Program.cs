using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Fabrica.Identifiers.Benchmarks.NativeCodecBenchmarks).Assembly).Run(args);
