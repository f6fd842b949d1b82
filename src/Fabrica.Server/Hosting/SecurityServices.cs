using Fabrica.Security.ApiTokens;
using Fabrica.Security.Audit;
using Fabrica.Security.Authentication;
using Fabrica.Security.Devices;
using Fabrica.Security.Gateways;
using Fabrica.Security.Storage;
using Fabrica.Server.Auth;
using Microsoft.AspNetCore.Authentication;

namespace Fabrica.Server.Hosting;

/// <summary>Wires Fabrica.Security into the host: metadata database, audit log, registries, bearer authentication.</summary>
internal static class SecurityServices
{
    public static IServiceCollection AddFabricaSecurity(this IServiceCollection services, FabricaServerOptions options)
    {
        services.AddSingleton(sp => new SecurityStore(options.DatabasePath, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DeviceRegistry>();
        services.AddSingleton<GatewayRegistry>();
        services.AddSingleton<ApiTokenService>();
        services.AddSingleton<CredentialAuthenticator>();
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorization(Policies.Add);
        return services;
    }

    /// <summary>Opens the audit log and migrates the database; creates the admin token file on first start.</summary>
    public static async Task<AuditLog> OpenAuditLogAsync(FabricaServerOptions options, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        await AuditLog.OpenAsync(Path.Combine(options.DataDirectory, "audit"), time, loggers.CreateLogger<AuditLog>(), cancellationToken).ConfigureAwait(false);

    public static async Task<AdminTokenFile> InitializeSecurityAsync(this IServiceProvider services, FabricaServerOptions options, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<SecurityStore>().MigrateAsync(cancellationToken).ConfigureAwait(false);
        return await services.GetRequiredService<ApiTokenService>().EnsureAdminTokenFileAsync(options.DataDirectory, cancellationToken).ConfigureAwait(false);
    }
}
