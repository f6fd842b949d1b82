using System.Net;
using Fabrica.Storage;

namespace Fabrica.Server.Hosting;

/// <summary>
/// Settings of one platform process. The CLI fills them from options, <c>FABRICA_*</c> environment variables
/// and an optional <c>fabrica.json</c>; port 0 asks the operating system for a free port.
/// </summary>
public sealed record FabricaServerOptions
{
    public string DataDirectory { get; init; } = "./data";
    public int HttpPort { get; init; } = 8080;
    public int MqttPort { get; init; } = 1883;

    /// <summary>MQTT over TLS (8883 by convention); null = no TLS listener. See <see cref="TlsCertificateFile"/>.</summary>
    public int? MqttTlsPort { get; init; }

    /// <summary>PEM (certificate + key) or PFX for the TLS listener; null = a self-signed one generated into the data directory.</summary>
    public string? TlsCertificateFile { get; init; }

    /// <summary>Password of a PFX <see cref="TlsCertificateFile"/>, if it has one.</summary>
    public string? TlsCertificatePassword { get; init; }

    /// <summary>Address the listeners bind to. A platform serves devices on the plant network, hence all interfaces by default.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>Largest MQTT or HTTP telemetry payload accepted.</summary>
    public int MaxPayloadBytes { get; init; } = 256 * 1024;

    /// <summary>Tiered retention: raw first, then roll-up tiers (default raw 30 d, 1 min 365 d, 1 h 10 y).</summary>
    public IReadOnlyList<RetentionTier> Retention { get; init; } = RetentionTier.Defaults;

    /// <summary>How often the in-memory head is written to a block (default 15 min).</summary>
    public TimeSpan FlushInterval { get; init; } = new StorageOptions { Directory = "." }.FlushInterval;

    public string StorageDirectory => Path.Combine(DataDirectory, "tsdb");

    public StorageOptions ToStorageOptions() => new()
    {
        Directory = StorageDirectory,
        Tiers = Retention,
        FlushInterval = FlushInterval,
    };

    public string DatabasePath => Path.Combine(DataDirectory, "fabrica.db");

    /// <summary>The identifier node: prefixes, role, Handle native port, roots (IdentifierServices.cs).</summary>
    public IdentifierNodeSettings Identifiers { get; init; } = new();
}

/// <summary>The ports actually bound, known once the server has started (they differ from the options for port 0).</summary>
public sealed record BoundEndpoints(int HttpPort, int MqttPort)
{
    /// <summary>The MQTT over TLS port, when <see cref="FabricaServerOptions.MqttTlsPort"/> is set.</summary>
    public int? MqttTlsPort { get; init; }
}
