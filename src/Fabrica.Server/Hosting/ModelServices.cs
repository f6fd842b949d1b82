using System.Diagnostics.Metrics;
using Fabrica.Platform.Alarms;
using Fabrica.Platform.Analytics;
using Fabrica.Platform.Commands;
using Fabrica.Platform.Events;
using Fabrica.Platform.Ingest;
using Fabrica.Platform.Models;
using Fabrica.Platform.Models.Storage;
using Fabrica.Platform.Twins;
using Fabrica.Security.Audit;
using Fabrica.Server.Api;
using Fabrica.Server.Mqtt;
using Fabrica.Storage;
using MQTTnet.AspNetCore;

namespace Fabrica.Server.Hosting;

/// <summary>
/// Wires the digital model (issue 7): model store in <c>&lt;data&gt;/fabrica.db</c>, catalog, twins, alarms, commands
/// over MQTT, and the production loop behind ingest as a hosted worker.
/// </summary>
internal static class ModelServices
{
    public static IServiceCollection AddFabricaModels(this IServiceCollection services, FabricaServerOptions options)
    {
        services.AddSingleton(sp => new ModelStore(options.DatabasePath, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ModelCatalog(sp.GetRequiredService<ModelStore>(), sp.GetRequiredService<IAuditLog>()));
        services.AddSingleton<TwinBoard>();
        services.AddSingleton<MqttCommandChannel>();
        services.AddSingleton<IDeviceCommandChannel>(sp => sp.GetRequiredService<MqttCommandChannel>());
        services.AddSingleton<IPlatformEvents>(sp => sp.GetRequiredService<MqttCommandChannel>());
        services.AddSingleton(sp => new AlarmMetrics(sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new AlarmBook(
            sp.GetRequiredService<ModelStore>(), sp.GetRequiredService<IAuditLog>(), sp.GetRequiredService<IPlatformEvents>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AlarmBook>>(), sp.GetRequiredService<AlarmMetrics>()));
        services.AddSingleton(sp => new CommandService(
            sp.GetRequiredService<ModelStore>(), sp.GetRequiredService<ModelCatalog>(), sp.GetRequiredService<IDeviceCommandChannel>(),
            sp.GetRequiredService<IAuditLog>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CommandService>>()));
        services.AddSingleton(sp => new ProductionLoop(
            sp.GetRequiredService<ModelCatalog>(), sp.GetRequiredService<TwinBoard>(), sp.GetRequiredService<AlarmBook>(),
            sp.GetRequiredService<CommandService>(), new StorageTelemetrySink(sp.GetRequiredService<TimeSeriesEngine>()),
            sp.GetRequiredService<IPlatformEvents>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(),
            new ProductionLoopOptions { Webhooks = sp.GetRequiredService<WebhookSender>() }, sp.GetRequiredService<IMeterFactory>()));
        services.AddSingleton(sp => new WebhookSender(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }), new WebhookOptions(),
            sp.GetRequiredService<ILogger<WebhookSender>>(), sp.GetRequiredService<IMeterFactory>()));
        services.AddHostedService<WebhookWorker>();
        services.AddHostedService<ProductionLoopWorker>();
        services.AddSingleton(sp => new KpiCalculator(
            sp.GetRequiredService<ModelCatalog>(), sp.GetRequiredService<TimeSeriesEngine>(), sp.GetRequiredService<AlarmBook>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new KpiRecorder(
            sp.GetRequiredService<KpiCalculator>(), sp.GetRequiredService<ModelCatalog>(), new StorageTelemetrySink(sp.GetRequiredService<TimeSeriesEngine>()),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<KpiRecorder>>()));
        services.AddHostedService<KpiRecorderWorker>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Add(ModelsApiJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Add(ModelJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Add(AlarmJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Add(CommandJsonContext.Default);
        });
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter("Fabrica.Models", AlarmMetrics.MeterName, WebhookSender.MeterName));
        return services;
    }

    /// <summary>The ingest sink with twins and rules behind it (IngestServices uses it in place of the bare storage sink).</summary>
    public static ITelemetrySink TwinSink(IServiceProvider services) =>
        new TwinTelemetrySink(new StorageTelemetrySink(services.GetRequiredService<TimeSeriesEngine>()), services.GetRequiredService<ProductionLoop>());

    /// <summary>Creates or upgrades the model tables, loads model, open alarms and commands, and attaches commands to the broker.</summary>
    public static async Task InitializeModelsAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        var services = app.Services;
        await services.GetRequiredService<ModelStore>().MigrateAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<ModelCatalog>().LoadAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<AlarmBook>().LoadAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<CommandService>().LoadAsync(cancellationToken).ConfigureAwait(false);
        app.UseMqttServer(server => services.GetRequiredService<MqttCommandChannel>().Attach(server));
    }
}

/// <summary>Runs <see cref="ProductionLoop.RunAsync"/> for the host's lifetime.</summary>
internal sealed class ProductionLoopWorker(ProductionLoop loop) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loop.RunAsync(stoppingToken);
}

/// <summary>Runs <see cref="KpiRecorder.RunAsync"/> for the host's lifetime: KPIs of ended shifts and days become series.</summary>
internal sealed class KpiRecorderWorker(KpiRecorder recorder) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => recorder.RunAsync(stoppingToken);
}

/// <summary>Runs <see cref="WebhookSender.RunAsync"/> for the host's lifetime: rule events to webhooks.</summary>
internal sealed class WebhookWorker(WebhookSender webhooks) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => webhooks.RunAsync(stoppingToken);
}
