using Fabrica.Cli.Bench;
using Fabrica.Cli.Commands;
using Fabrica.Cli.Commands.Identifiers;
using Spectre.Console;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("fabrica");
    config.PropagateExceptions();
    config.AddCommand<ServeCommand>("serve").WithDescription("Run the platform: MQTT broker, ingest, storage, HTTP API.");
    config.AddCommand<DemoCommand>("demo").WithDescription("Run the platform, the simulated factory and an edge gateway in one process.");
    config.AddCommand<EdgeCommand>("edge").WithDescription("Run an edge gateway: poll devices, buffer on disk, forward to the platform (docs/edge.md).");
    config.AddBranch("opcua", opcua => opcua.AddCommand<OpcUaBrowseCommand>("browse").WithDescription("Browse an OPC UA server's address space; print the tree and an edge config fragment."));
    config.AddCommand<SimCommand>("sim").WithDescription("Run the simulated factory: machines with physics, wear and faults on Modbus TCP (docs/simulator.md).");
    config.AddBranch("device", device =>
    {
        device.SetDescription("Manage devices of a running server.");
        device.AddCommand<DeviceAddCommand>("add").WithDescription("Register a device and print its token.");
        device.AddCommand<DeviceListCommand>("list").WithDescription("List registered devices.");
    });
    config.AddBranch("token", token =>
    {
        token.SetDescription("Manage API tokens.");
        token.AddCommand<TokenCreateCommand>("create").WithDescription("Create an API token with a role.");
    });
    config.AddCommand<IdNodeCommand>("idnode").WithDescription("Run an identifier node alone (root, industry or enterprise): Handle REST and native protocol.");
    config.AddBranch("id", id => IdCommandRegistration.Register(id));
    config.AddCommand<QueryCommand>("query").WithDescription("Query stored telemetry of a device.");
    config.AddCommand<BackupCommand>("backup").WithDescription("Write a consistent backup of a running node into a new directory.");
    config.AddCommand<RestoreCommand>("restore").WithDescription("Restore a backup into an unused data directory (server stopped).");
    config.AddBranch("bench", bench =>
    {
        bench.SetDescription("Load generators against a running server.");
        bench.AddCommand<ResolveBenchCommand>("resolve").WithDescription("Resolve identifiers over UDP or HTTP, or cold through the hierarchy; report resolutions/s and p50/p99.");
        bench.AddCommand<IngestBenchCommand>("ingest").WithDescription("Publish QoS 1 telemetry over many MQTT connections; report samples/s and ack latency.");
    });
    config.AddBranch("storage", storage =>
    {
        storage.SetDescription("Inspect the storage engine.");
        storage.AddCommand<StorageCheckCommand>("check").WithDescription("Verify every block and WAL checksum; exit 1 on damage.");
    });
});

try
{
    return await app.RunAsync(args);
}
catch (CliException e)
{
    AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
    return 1;
}
catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message} Another program (perhaps another fabrica) listens there: stop it or choose --http-port / --mqtt-port (0 = any free port).");
    return 1;
}
catch (CommandParseException e)
{
    AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
    return 2;
}
catch (CommandRuntimeException e)
{
    AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
    return 2;
}
catch (Exception e)
{
    // A bug, not a user error: say what and where in one line on stdout, the details on stderr for the report.
    AnsiConsole.MarkupLineInterpolated($"[red]error:[/] unexpected {e.GetType().Name}: {e.Message}");
    Console.Error.WriteLine(e);
    return 70;
}
