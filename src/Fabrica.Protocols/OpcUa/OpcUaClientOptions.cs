using Fabrica.Protocols.OpcUa.SecureChannel;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Protocols.OpcUa;

/// <summary>How an <see cref="OpcUaClient"/> connects and what it asks the server for.</summary>
public sealed record OpcUaClientOptions
{
    public static OpcUaClientOptions Default { get; } = new();

    public string ApplicationName { get; init; } = "Fabrica OPC UA client";

    public string ApplicationUri { get; init; } = "urn:fabrica:opcua-client";

    public string SessionName { get; init; } = "Fabrica";

    /// <summary>Requested session timeout; the session survives a dropped connection for this long.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Interval of the keep-alive Read of Server.ServerStatus.State.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>User name for a UserNameIdentityToken; null for anonymous.</summary>
    public string? UserName { get; init; }

    public string? Password { get; init; }

    /// <summary>
    /// PolicyId of the user-name token policy to use; null picks the best the server offers (an encrypted password,
    /// RSA-OAEP with the server certificate, before a plain-text one).
    /// </summary>
    public string? UserTokenPolicyId { get; init; }

    /// <summary>Browse page size asked of the server (RequestedMaxReferencesPerNode; 0 lets the server choose).</summary>
    public uint MaxReferencesPerBrowse { get; init; } = 100;

    /// <summary>Publish requests kept outstanding at the server (OPC 10000-4 §5.13.5 recommends more than one).</summary>
    public int MaxOutstandingPublishRequests { get; init; } = 3;

    public SecureChannelOptions Channel { get; init; } = new();

    /// <summary>Where the client logs connection changes, restores and lost messages (event ids 4100–4199).</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}

/// <summary>Parameters of one subscription.</summary>
public sealed record SubscriptionOptions
{
    /// <summary>Requested publishing interval; null means the sampling interval.</summary>
    public TimeSpan? PublishingInterval { get; init; }

    /// <summary>Server-side queue per monitored item, so that values sampled between publishes are not lost.</summary>
    public uint QueueSize { get; init; } = 100;

    /// <summary>Absolute or percent deadband (null: report every change).</summary>
    public Services.DataChangeFilter? Filter { get; init; }

    public uint MaxKeepAliveCount { get; init; } = 10;

    public uint LifetimeCount { get; init; } = 600;

    /// <summary>Values buffered for a slow consumer before the publish loop waits (back-pressure, never loss).</summary>
    public int BufferCapacity { get; init; } = 10_000;
}
