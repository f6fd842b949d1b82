using Fabrica.Server.Hosting;
using Fabrica.Storage;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands;

/// <summary><c>fabrica serve</c>: the platform in one process, until Ctrl+C or SIGTERM.</summary>
internal sealed class ServeCommand : AsyncCommand<ServeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ServeSettings settings, CancellationToken cancellationToken)
    {
        await using var server = await StartAsync(settings, cancellationToken);
        await server.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    /// <summary>Starts the server and prints the ready line that scripts and tests wait for.</summary>
    public static async Task<FabricaServer> StartAsync(ServeSettings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToServerOptions();
        var progress = new Progress<StorageProgress>(p =>
            Console.Error.WriteLine($"{p.Operation}: {p.Done}/{p.Total}"));
        FabricaServer server;
        try
        {
            server = await FabricaServer.StartAsync(options, logging => ConfigureLogging(logging, settings.LogFormat), progress, cancellationToken);
        }
        catch (ArgumentException e)
        {
            // Settings the libraries refuse (e.g. retention tiers that do not nest) are the user's to fix, not a crash.
            throw new CliException($"Invalid configuration: {e.Message}");
        }
        var start = server.Startup;
        if (!start.Recovery.Clean)
            AnsiConsole.MarkupLineInterpolated($"[yellow]storage recovery repaired damage:[/] {string.Join("; ", start.Recovery.DamagedBlocks.Concat(start.Recovery.WalRepairs))}");
        Console.WriteLine(start.AdminTokenCreated
            ? $"admin token created in {Path.GetFullPath(start.AdminTokenPath)} (keep it secret; it is shown nowhere else)"
            : $"admin token: {Path.GetFullPath(start.AdminTokenPath)}");
        var endpoints = server.Endpoints;
        if (server.MqttTls is { } tls)
            Console.WriteLine($"mqtt tls: port {endpoints.MqttTlsPort}, certificate {tls.Source}{(tls.Generated ? " (generated, self-signed; clients trust " + Path.Combine(Path.GetDirectoryName(tls.Source)!, Fabrica.Server.Mqtt.MqttTlsCertificate.GeneratedCrt) + " or pin the fingerprint)" : "")}, sha256 {tls.Sha256Fingerprint}");
        var tlsFields = server.MqttTls is { } t ? $" mqtts={endpoints.MqttTlsPort} tls-sha256={t.Sha256Fingerprint}" : "";
        Console.WriteLine($"fabrica ready http={endpoints.HttpPort} mqtt={endpoints.MqttPort}{tlsFields} handle={server.HandlePort()} dns={server.DnsPort()} data={Path.GetFullPath(options.DataDirectory)}");
        return server;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, string format)
    {
        CliLogging.Configure(logging, format);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        // A failed start is reported by the CLI in one line that says what to do; the host's own report is a stack trace.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
    }
}
