using System.Text.Json.Serialization;

namespace Fabrica.Server.Api;

/// <summary>The versioned HTTP API: one route group per area.</summary>
internal static class FabricaApi
{
    public static IEndpointRouteBuilder MapFabricaApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/api/v1");
        var devices = v1.MapGroup("/devices").WithTags("Devices");
        devices.MapDevicesApi();
        devices.MapIngestApi();
        devices.MapTelemetryQueryApi();
        devices.MapDeviceStreamApi();
        v1.MapGroup("/series").WithTags("Telemetry").MapSeriesApi();
        v1.MapGroup("/edges").WithTags("Edges").MapEdgesApi();
        v1.MapGroup("/tokens").WithTags("Tokens").MapTokensApi();
        v1.MapGroup("/admin").WithTags("Administration").MapAdminApi();
        v1.MapModelApis();
        app.MapHandlesApi();
        app.MapIdentifierMappingApi();
        app.MapDigitalLinkApi();
        return app;
    }
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DeviceRequest))]
[JsonSerializable(typeof(DeviceCreated))]
[JsonSerializable(typeof(DeviceView))]
[JsonSerializable(typeof(IReadOnlyList<DeviceView>))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(TokenCreated))]
[JsonSerializable(typeof(IReadOnlyList<TokenView>))]
[JsonSerializable(typeof(IngestAccepted))]
[JsonSerializable(typeof(IReadOnlyList<SeriesView>))]
[JsonSerializable(typeof(EdgeRequest))]
[JsonSerializable(typeof(EdgeCreated))]
[JsonSerializable(typeof(EdgeView))]
[JsonSerializable(typeof(IReadOnlyList<EdgeView>))]
[JsonSerializable(typeof(EdgeRulesView))]
[JsonSerializable(typeof(IReadOnlyList<Fabrica.Platform.Edges.EdgeEvent>))]
[JsonSerializable(typeof(BackupRequest))]
[JsonSerializable(typeof(StorageStatus))]
[JsonSerializable(typeof(Hosting.BackupSummary))]
[JsonSerializable(typeof(Hosting.HealthStatus))]
[JsonSerializable(typeof(TelemetryPoint))]
[JsonSerializable(typeof(Dictionary<string, TelemetryPoint>))]
[JsonSerializable(typeof(Dictionary<string, TelemetryPoint[]>))]
[JsonSerializable(typeof(LiveSampleEvent))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails))]
internal sealed partial class FabricaJsonContext : JsonSerializerContext;
