using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Services;

namespace Fabrica.Edge.Adapters.OpcUa;

/// <summary>Which timestamp of a value becomes the sample's (OPC 10000-4 §7.11: source = the device's, server = the server's).</summary>
internal enum TimestampSource
{
    Source = 0,
    Server = 1,
}

/// <summary>
/// An OPC UA device's <c>settings</c> (docs/edge.md, "OPC UA adapter"): the endpoint, security mode and identity, how
/// subscriptions publish, and the methods it offers as commands. Everything but <see cref="Endpoint"/> has a default.
/// </summary>
internal sealed record OpcUaDeviceSettings
{
    public string Endpoint { get; init; } = "";

    /// <summary>MessageSecurityMode (OPC 10000-4 §7.20): only None in this build.</summary>
    public string SecurityMode { get; init; } = "None";

    /// <summary>Null for anonymous.</summary>
    public string? UserName { get; init; }

    public string? Password { get; init; }

    /// <summary>Publishing interval of the subscriptions; null: each subscription publishes at its sampling interval.</summary>
    public TimeSpan? PublishingInterval { get; init; }

    /// <summary>Values the server queues per monitored item between publishes and while the connection is down.</summary>
    public uint QueueSize { get; init; } = 100;

    public TimestampSource Timestamps { get; init; } = TimestampSource.Source;

    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Methods offered as platform commands, by command name.</summary>
    public IReadOnlyDictionary<string, OpcUaMethod> Methods { get; init; } = new Dictionary<string, OpcUaMethod>();

    public OpcUaClientOptions ToClientOptions(string deviceId, Microsoft.Extensions.Logging.ILoggerFactory loggers) => new()
    {
        SessionName = "fabrica edge " + deviceId,
        UserName = UserName,
        Password = Password,
        SessionTimeout = SessionTimeout,
        KeepAliveInterval = KeepAliveInterval,
        LoggerFactory = loggers,
    };
}

/// <summary>Where a tag's value is: a NodeId, or a browse path from the Objects folder resolved at connect.</summary>
internal sealed record OpcUaNodeAddress(NodeId? NodeId, IReadOnlyList<QualifiedName>? BrowsePath)
{
    public override string ToString() => NodeId?.ToString() ?? "/" + string.Join('/', BrowsePath!);
}

/// <summary>A tag, checked: its node, the type writes are encoded as (null: the node's DataType), and its monitoring.</summary>
internal sealed record OpcUaTag(OpcUaNodeAddress Address, BuiltInType? DataType, TimeSpan SamplingInterval, DataChangeFilter? Filter, uint? QueueSize);

/// <summary>An OPC UA method offered as a command: the object it is called on, the method, and its input argument types.</summary>
internal sealed record OpcUaMethod(string Command, NodeId ObjectId, NodeId MethodId, IReadOnlyList<BuiltInType> Inputs);

/// <summary>A device's OPC UA configuration, checked: its settings and each tag by name.</summary>
internal sealed record OpcUaDeviceConfig(OpcUaDeviceSettings Settings, IReadOnlyDictionary<string, OpcUaTag> Tags);
