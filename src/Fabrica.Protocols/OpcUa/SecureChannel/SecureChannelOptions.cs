namespace Fabrica.Protocols.OpcUa.SecureChannel;

/// <summary>What the client asks for in Hello and OpenSecureChannel, and how long it waits.</summary>
public sealed record SecureChannelOptions
{
    /// <summary>Largest chunk the client accepts (Hello ReceiveBufferSize, at least 8192).</summary>
    public int ReceiveBufferSize { get; init; } = 65535;

    /// <summary>Largest chunk the client would like to send (Hello SendBufferSize).</summary>
    public int SendBufferSize { get; init; } = 65535;

    /// <summary>Largest response message body the client accepts (Hello MaxMessageSize).</summary>
    public int MaxMessageSize { get; init; } = 16 << 20;

    /// <summary>Most chunks per response (Hello MaxChunkCount).</summary>
    public int MaxChunkCount { get; init; } = 512;

    /// <summary>Requested security token lifetime; the client renews at 75 % of the revised lifetime.</summary>
    public TimeSpan RequestedTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a request may take before it fails with BadTimeout (and its TimeoutHint).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long TCP connect plus Hello/Acknowledge may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public ChannelSecurityPolicy SecurityPolicy { get; init; } = SecurityPolicyNone.Instance;

    public OpcUaEncodingLimits EncodingLimits { get; init; } = OpcUaEncodingLimits.Default;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
