using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabrica.Edge.Configuration;

/// <summary>
/// The edge configuration file (docs/edge.md): who the edge is, where the platform is, how data is buffered and sent,
/// and which devices and tags it reads. Loaded and checked by <see cref="EdgeConfigLoader"/>.
/// </summary>
public sealed record EdgeOptions
{
    /// <summary>The gateway id registered on the platform (<c>POST /api/v1/edges</c>); also the MQTT user name.</summary>
    public string Id { get; set; } = "";

    /// <summary>The gateway token (<c>fbg_…</c>), the MQTT password.</summary>
    public string Token { get; set; } = "";

    public PlatformEndpoint Platform { get; set; } = new();

    public UplinkOptions Uplink { get; set; } = new();

    public BufferOptions Buffer { get; set; } = new();

    public IReadOnlyList<DeviceOptions> Devices { get; set; } = [];

    /// <summary>Edge rules as JSON (the Fabrica.Rules model); passed as is to the rules engine.</summary>
    public JsonElement Rules { get; set; }
}

public sealed record PlatformEndpoint
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 1883;

    public bool Tls { get; set; }

    /// <summary>With <see cref="Tls"/>: a PEM file of the CA (or the self-signed certificate) the platform's certificate must chain to.</summary>
    public string? CaFile { get; set; }

    /// <summary>With <see cref="Tls"/>: the SHA-256 fingerprint of the platform's certificate; only that certificate is accepted.</summary>
    public string? PinnedSha256 { get; set; }
}

public sealed record UplinkOptions
{
    /// <summary><c>json</c> (the telemetry payloads of docs/ingest.md) or <c>sparkplug</c> (Sparkplug B, docs/sparkplug.md).</summary>
    public string Format { get; set; } = "json";

    /// <summary>With <c>sparkplug</c>: the Sparkplug group id; the edge node id is the edge id.</summary>
    public string SparkplugGroupId { get; set; } = "fabrica";

    /// <summary>Samples per MQTT message at most (the platform accepts 10,000).</summary>
    public int MaxSamplesPerMessage { get; set; } = 1000;

    /// <summary>Backlog messages sent per second at most while draining the buffer; 0 = as fast as the platform acknowledges.</summary>
    public double DrainRate { get; set; } = 50;

    [JsonConverter(typeof(DurationJsonConverter))]
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(10);

    [JsonConverter(typeof(DurationJsonConverter))]
    public TimeSpan ReconnectMin { get; set; } = TimeSpan.FromSeconds(1);

    [JsonConverter(typeof(DurationJsonConverter))]
    public TimeSpan ReconnectMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for a PUBACK before the connection is considered broken.</summary>
    [JsonConverter(typeof(DurationJsonConverter))]
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed record BufferOptions
{
    /// <summary>Where the store-and-forward segments live; relative paths are relative to the configuration file.</summary>
    public string Directory { get; set; } = "edge-buffer";

    /// <summary>Upper bound of the buffer on disk; when full the oldest segment is dropped (and counted).</summary>
    [JsonConverter(typeof(ByteSizeJsonConverter))]
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    [JsonConverter(typeof(ByteSizeJsonConverter))]
    public long SegmentBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>
    /// Samples are written and fsynced in groups at this interval: the most a SIGKILL or power cut can lose.
    /// </summary>
    [JsonConverter(typeof(DurationJsonConverter))]
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}

public sealed record DeviceOptions
{
    /// <summary>The Fabrica device id the samples are published under.</summary>
    public string Id { get; set; } = "";

    /// <summary>The adapter kind, e.g. <c>modbus</c> or <c>opcua</c>.</summary>
    public string Adapter { get; set; } = "";

    /// <summary>Adapter settings (host, port, unit id…), parsed by the adapter.</summary>
    public JsonElement Settings { get; set; }

    /// <summary>Default poll period of the device's tags.</summary>
    [JsonConverter(typeof(DurationJsonConverter))]
    public TimeSpan PollPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A read (or connect) taking longer marks the tags bad and reconnects. Default: the poll period, at least 1 s.</summary>
    [JsonConverter(typeof(NullableDurationJsonConverter))]
    public TimeSpan? ReadTimeout { get; set; }

    public IReadOnlyList<TagOptions> Tags { get; set; } = [];

    internal TimeSpan EffectiveReadTimeout => ReadTimeout ?? (PollPeriod < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : PollPeriod);
}

public sealed record TagOptions
{
    /// <summary>The Fabrica tag name (docs/ingest.md: 1–256 characters, no <c>/ + #</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>Where the adapter finds the value, in the adapter's syntax (e.g. <c>hr:100</c>, <c>ns=2;s=Temp</c>).</summary>
    public string Address { get; set; } = "";

    /// <summary>The data type at the source in the adapter's vocabulary (<c>float32</c>, <c>int16</c>, <c>bool</c>…).</summary>
    public string? DataType { get; set; }

    /// <summary>Overrides the device's poll period (for subscriptions: the sampling interval).</summary>
    [JsonConverter(typeof(NullableDurationJsonConverter))]
    public TimeSpan? PollPeriod { get; set; }

    /// <summary>Linear scaling of numeric values: <c>value * scale + offset</c>.</summary>
    public double Scale { get; set; } = 1;

    public double Offset { get; set; }

    public DeadbandOptions? Deadband { get; set; }

    /// <summary>A value is reported at least this often even if it stays inside the deadband (heartbeat). Default 60 s with a deadband.</summary>
    [JsonConverter(typeof(NullableDurationJsonConverter))]
    public TimeSpan? MaxInterval { get; set; }

    /// <summary>Engineering unit, for people and models (e.g. <c>°C</c>, <c>bar</c>).</summary>
    public string? Unit { get; set; }

    /// <summary>Further adapter-specific settings of the tag (byte order, string length…).</summary>
    public JsonElement Settings { get; set; }
}

/// <summary>Report a numeric value only when it moved more than this since the last reported value. Set one of the two.</summary>
public sealed record DeadbandOptions
{
    /// <summary>In engineering units (after scaling).</summary>
    public double? Absolute { get; set; }

    /// <summary>In percent of the last reported value's magnitude.</summary>
    public double? Percent { get; set; }
}
