using System.Diagnostics.Metrics;
using Fabrica.Platform.Edges;
using Fabrica.Platform.Ingest;
using Fabrica.Protocols.Sparkplug;
using Fabrica.Server.Mqtt;

namespace Fabrica.Server.Hosting;

/// <summary>Wires the ingest stage: the storage sink, limits, and the MQTT bridge.</summary>
internal static class IngestServices
{
    public static IServiceCollection AddFabricaIngest(this IServiceCollection services, FabricaServerOptions options)
    {
        // storage, then twins and rules (ModelServices), then live followers (web console, event streams)
        services.AddSingleton<ITelemetrySink>(sp => new WebConsole.Live.LiveTelemetrySink(ModelServices.TwinSink(sp), sp.GetRequiredService<WebConsole.Live.LiveSampleFeed>()));
        services.AddSingleton(sp => new TelemetryIngest(
            sp.GetRequiredService<ITelemetrySink>(),
            IngestLimits.Default with { MaxPayloadBytes = options.MaxPayloadBytes },
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TelemetryIngest>>(),
            sp.GetRequiredService<IMeterFactory>()));
        services.AddSingleton<EdgeDeviceOwnership>();
        services.AddSingleton<EdgeStatusBoard>();
        services.AddSingleton(sp => new EdgeConfigStore(
            Path.Combine(options.DataDirectory, "edges"), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Fabrica.Security.Audit.IAuditLog>()));
        services.AddSingleton<EdgeConfigChannel>();
        services.AddSingleton(sp => new SparkplugHostApplication(new SparkplugHostOptions(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<MqttMetrics>();
        services.AddSingleton<MqttIngestBridge>();
        return services;
    }
}
