using Fabrica.Identifiers.Dns;
using Fabrica.Identifiers.Store;

namespace Fabrica.Server.Hosting;

/// <summary>The DNS front end of the identifier node (issue 6): ONS/ORS NAPTR and handle TXT/URI from the handle store.</summary>
internal static class IdentifierDnsServices
{
    /// <summary>Registers the DNS listener when <see cref="IdentifierNodeSettings.Dns"/> is set; after the Handle listener, so it stops first.</summary>
    public static void AddIdentifierDns(this IServiceCollection services, IdentifierNodeSettings settings)
    {
        if (settings.Dns is null)
            return;
        services.AddSingleton<IdentifierDnsListener>();
        services.AddHostedService(sp => sp.GetRequiredService<IdentifierDnsListener>());
    }

    /// <summary>The bound DNS port (UDP and TCP), or null when the node runs no DNS front end.</summary>
    public static int? DnsPort(this IServiceProvider services) => services.GetService<IdentifierDnsListener>()?.Port;
}

/// <summary>What the DNS front end of a running server is bound to.</summary>
public static class IdentifierDnsServerExtensions
{
    /// <summary>The DNS port for the ready line, or null without a DNS front end.</summary>
    public static int? DnsPort(this FabricaServer server) => server.Services.DnsPort();
}

/// <summary>Starts the <see cref="DnsServer"/> over the node's handle store on the node's bind address, and stops it.</summary>
internal sealed class IdentifierDnsListener(HandleStore store, FabricaServerOptions options, ILogger<DnsServer> logger) : IHostedService
{
    private DnsServer? _server;

    public int Port => _server?.EndPoint?.Port ?? throw new InvalidOperationException("The DNS listener has not started.");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var dns = options.Identifiers.Dns!;
        _server = DnsServer.Create(new HandleDnsRecordSource(store, dns), dns, logger);
        _server.Start(options.BindAddress);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
            await server.DisposeAsync();
    }
}
