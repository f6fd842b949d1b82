using Fabrica.Security.Audit;
using Fabrica.Server.Api;
using Fabrica.Server.Auth;
using Fabrica.Server.Mqtt;
using Fabrica.Server.WebConsole;
using Fabrica.Storage;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MQTTnet.AspNetCore;
using OpenTelemetry.Metrics;
using Scalar.AspNetCore;

namespace Fabrica.Server.Hosting;

/// <summary>
/// One platform process: storage engine, security, ingest, MQTT broker and HTTP API in one ASP.NET Core host.
/// MQTT runs on its own Kestrel listener (MQTTnet's connection handler), so both protocols share Kestrel's
/// socket transport and the port-0 handling.
/// </summary>
public sealed partial class FabricaServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ListenOptions _httpListener;
    private readonly ListenOptions _mqttListener;

    private FabricaServer(WebApplication app, ListenOptions http, ListenOptions mqtt, ServerStartup startup)
    {
        _app = app;
        _httpListener = http;
        _mqttListener = mqtt;
        Startup = startup;
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>What happened at start: storage recovery, the admin token file.</summary>
    public ServerStartup Startup { get; }

    public BoundEndpoints Endpoints => new(_httpListener.IPEndPoint!.Port, _mqttListener.IPEndPoint!.Port) { MqttTlsPort = _mqttTlsListener?.IPEndPoint!.Port };

    /// <summary>The MQTT over TLS listener and its certificate, when enabled (Hosting/FabricaServer.Tls.cs).</summary>
    public MqttTlsCertificate? MqttTls { get; private set; }

    private ListenOptions? _mqttTlsListener;

    public static async Task<FabricaServer> StartAsync(
        FabricaServerOptions options,
        Action<ILoggingBuilder>? configureLogging = null,
        IProgress<StorageProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        configureLogging?.Invoke(builder.Logging);
        // The console's files (its own, MudBlazor's, uPlot's) from `dotnet run` as from publish output (TOOLCHAIN-NOTES).
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddSingleton(options);
        // Kestrel waits on shutdown for open connections to end; MQTT devices never end theirs, so the default 30 s
        // grace turned every SIGTERM into a 30 s wait. Five seconds lets in-flight requests finish, then closes the rest.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(TimeProvider.System);

        ListenOptions? http = null, mqtt = null, mqttTlsListener = null;
        var mqttTls = options.MqttTlsPort is null ? null : MqttTlsCertificate.Load(options, TimeProvider.System);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.BindAddress, options.HttpPort, l => http = l);
            kestrel.Listen(options.BindAddress, options.MqttPort, l =>
            {
                mqtt = l;
                l.UseMqtt();
            });
            kestrel.Limits.MaxRequestBodySize = Math.Max(options.MaxPayloadBytes, 1024 * 1024);
            if (mqttTls is not null)
                kestrel.Listen(options.BindAddress, options.MqttTlsPort!.Value, l => mqttTlsListener = ListenMqttTls(l, mqttTls));
        });
        // Started before Kestrel listens, stopped after it (MqttBrokerLifetime): no connection reaches an unstarted broker.
        builder.Services.AddMqttBroker(mqttOptions => mqttOptions.WithoutDefaultEndpoint().WithPersistentSessions(false));
        builder.Services.AddMqttConnectionHandler();
        builder.Services.AddConnections();

        builder.Services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecurityTransformer>());
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, FabricaJsonContext.Default));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Fabrica.Storage", "Fabrica.Ingest", "Fabrica.Security", "Fabrica.Mqtt")
            .AddPrometheusExporter());

        var loggers = LoggerFactory.Create(l => configureLogging?.Invoke(l));
        var storage = await TimeSeriesEngine.OpenAsync(
            options.ToStorageOptions(),
            loggers,
            TimeProvider.System, progress, cancellationToken).ConfigureAwait(false);
        builder.Services.AddSingleton(storage);
        builder.Services.AddFabricaSecurity(options);
        builder.Services.AddFabricaIngest(options);
        builder.Services.AddFabricaModels(options);
        builder.Services.AddFabricaConsole(options); // after the models: it wraps their event publisher
        var audit = await SecurityServices.OpenAuditLogAsync(options, TimeProvider.System, loggers, cancellationToken).ConfigureAwait(false);
        builder.Services.AddSingleton<IAuditLog>(audit);
        await builder.Services.AddFabricaIdentifiersAsync(options, cancellationToken).ConfigureAwait(false);

        var app = builder.Build();
        var adminToken = await app.Services.InitializeSecurityAsync(options, cancellationToken).ConfigureAwait(false);
        await app.InitializeModelsAsync(cancellationToken).ConfigureAwait(false);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMqttServer(server => app.Services.GetRequiredService<MqttIngestBridge>().Attach(server));
        app.UseMqttServer(server => app.Services.GetRequiredService<EdgeConfigChannel>().Attach(server));
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/scalar", o => o.DisableDefaultFonts().DisableTelemetry()).AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Policies.Viewer);
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok"))).AllowAnonymous().WithTags("System");
        app.MapFabricaApi();
        app.MapFabricaConsole();

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Release the storage lock and flush the audit log, so that a retry (e.g. on another port) can open them.
            await app.DisposeAsync().ConfigureAwait(false);
            await storage.DisposeAsync().ConfigureAwait(false);
            await audit.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new FabricaServer(app, http!, mqtt!, new ServerStartup(storage.Recovery, adminToken.Path, adminToken.Created)) { MqttTls = mqttTls, _mqttTlsListener = mqttTlsListener };
    }

    /// <summary>Cancelled when the host begins to stop (SIGTERM, Ctrl+C): work running beside the server stops with it.</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the listeners first (no new writes), then closes storage and the audit log, which the host does not own.</summary>
    public async ValueTask DisposeAsync()
    {
        var storage = _app.Services.GetRequiredService<TimeSeriesEngine>();
        var audit = (AuditLog)_app.Services.GetRequiredService<IAuditLog>();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await storage.DisposeAsync().ConfigureAwait(false);
        await audit.DisposeAsync().ConfigureAwait(false);
    }
}

public sealed record ServerStartup(RecoveryReport Recovery, string AdminTokenPath, bool AdminTokenCreated);

internal sealed record HealthStatus(string Status);
