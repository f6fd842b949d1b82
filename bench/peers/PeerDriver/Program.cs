using Fabrica.Bench.Peers;

// peer-driver COMMAND --option value …  (see bench/peers/README.md). One result line on stdout, progress on stderr.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: peer-driver influx-load|influx-query|fabrica-load|fabrica-query|storage-load --start-ms MS [options]");
    return 2;
}
var options = new Options(args.Skip(1));
return args[0] switch
{
    "influx-load" => await InfluxLoader.RunAsync(options),
    "influx-query" => await QueryBench.InfluxAsync(options),
    "fabrica-load" => await FabricaLoader.RunAsync(options),
    "fabrica-query" => await QueryBench.FabricaAsync(options),
    "storage-load" => await StorageLoader.RunAsync(options),
    var c => throw new ArgumentException($"Unknown command '{c}'."),
};
