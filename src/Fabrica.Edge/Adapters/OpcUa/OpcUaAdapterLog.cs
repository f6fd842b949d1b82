using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Fabrica.Edge.Adapters.OpcUa;

/// <summary>Log messages of the OPC UA adapter (event ids 3501–3599).</summary>
internal static partial class Log
{
    [LoggerMessage(3501, LogLevel.Information, "Device {Device}: {Nodes} nodes monitored in {Subscriptions} subscriptions")]
    public static partial void Subscribed(ILogger logger, string device, int nodes, int subscriptions);

    [LoggerMessage(3502, LogLevel.Warning, "Device {Device}: tag {Tag} is bad: {Reason}")]
    public static partial void TagRefused(ILogger logger, string device, string tag, string reason);

    [LoggerMessage(3503, LogLevel.Warning, "Device {Device}: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string device, string reason);

    [LoggerMessage(3504, LogLevel.Information, "Device {Device}: reconnected (session survived: {SessionSurvived})")]
    public static partial void Reconnected(ILogger logger, string device, bool sessionSurvived);

    [LoggerMessage(3505, LogLevel.Debug, "Device {Device}: wrote tag {Tag} ({NodeId})")]
    public static partial void Written(ILogger logger, string device, string tag, string nodeId);

    [LoggerMessage(3506, LogLevel.Information, "Device {Device}: command {Command} called {MethodId}")]
    public static partial void MethodCalled(ILogger logger, string device, string command, string methodId);
}

/// <summary>The adapter's counter: values and tags the server gave that are no Fabrica sample, or nodes it refused.</summary>
internal static class OpcUaAdapterMetrics
{
    private static readonly Meter Meter = new("Fabrica.Edge.OpcUa");

    public static readonly Counter<long> Refused = Meter.CreateCounter<long>("fabrica.edge.opcua.refused", description: "OPC UA tags or values the edge could not take (unknown node, refused item, not a scalar)");
}
