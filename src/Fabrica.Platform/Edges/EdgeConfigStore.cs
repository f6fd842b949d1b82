using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Fabrica.Rules;
using Fabrica.Security;
using Fabrica.Security.Audit;

namespace Fabrica.Platform.Edges;

/// <summary>
/// The configuration the platform pushes to each edge (issue 3, scope 4): its rules, with a version that grows by one
/// on every change. One JSON file per edge under <c>&lt;data&gt;/edges/</c>, holding exactly the payload published
/// (retained) on <c>fabrica/edges/{edgeId}/config</c>, written to a temporary file, fsynced and renamed over the old
/// one, so that a crash leaves the old or the new configuration, never a torn one. A file rather than a table: the
/// document is read and written whole, by one writer, and is the MQTT payload byte for byte.
/// </summary>
public sealed class EdgeConfigStore(string directory, TimeProvider time, IAuditLog? audit = null)
{
    public const string AuditAction = "edge.rules.put";

    private readonly SemaphoreSlim _write = new(1, 1);

    public string Directory { get; } = directory;

    /// <summary>The stored configuration of <paramref name="edgeId"/>, or null when none was ever pushed.</summary>
    public async Task<EdgeConfig?> GetAsync(string edgeId, CancellationToken cancellationToken = default)
    {
        var path = PathOf(edgeId);
        if (!File.Exists(path))
            return null;
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return EdgeConfig.Parse(edgeId, bytes);
    }

    /// <summary>Every stored configuration (to publish them again when the broker starts).</summary>
    public async Task<IReadOnlyList<EdgeConfig>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (!System.IO.Directory.Exists(Directory))
            return [];
        var configs = new List<EdgeConfig>();
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            var edgeId = Path.GetFileNameWithoutExtension(file);
            if (NamingRules.IsValidDeviceId(edgeId) && await GetAsync(edgeId, cancellationToken).ConfigureAwait(false) is { } config)
                configs.Add(config);
        }
        return configs;
    }

    /// <summary>Stores <paramref name="rules"/> (already validated) as the edge's next configuration version.</summary>
    public async Task<EdgeConfig> PutRulesAsync(string edgeId, IReadOnlyList<RuleDefinition> rules, Caller caller, CancellationToken cancellationToken = default)
    {
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        EdgeConfig config;
        try
        {
            var previous = await GetAsync(edgeId, cancellationToken).ConfigureAwait(false);
            var version = previous is not null && long.TryParse(previous.Version, CultureInfo.InvariantCulture, out var v) ? v + 1 : 1;
            config = new EdgeConfig(edgeId, version.ToString(CultureInfo.InvariantCulture), UnixTime.Now(time), rules);
            System.IO.Directory.CreateDirectory(Directory);
            var path = PathOf(edgeId);
            var temporary = path + ".tmp";
            var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await file.WriteAsync(config.ToPayload(), cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            _write.Release();
        }
        if (audit is not null)
        {
            await audit.AppendAsync(new AuditEvent(caller.Actor, AuditAction, $"gateway:{edgeId}", caller.Source, AuditOutcome.Success,
                $"version {config.Version}, {rules.Count} rules"), CancellationToken.None).ConfigureAwait(false);
        }
        return config;
    }

    /// <summary>Forgets an edge's configuration (the edge was deleted).</summary>
    public void Delete(string edgeId)
    {
        var path = PathOf(edgeId);
        if (File.Exists(path))
            File.Delete(path);
    }

    private string PathOf(string edgeId) => NamingRules.IsValidDeviceId(edgeId)
        ? Path.Combine(Directory, edgeId + ".json")
        : throw new ArgumentException($"'{edgeId}' is not an edge id", nameof(edgeId));
}

/// <summary>
/// One version of an edge's pushed configuration. Its payload, <c>{"version":"3","updatedAt":…,"rules":[…]}</c>, is
/// what the edge receives on <c>fabrica/edges/{edgeId}/config</c> (docs/edge.md, "Rules pushed from the platform").
/// </summary>
public sealed record EdgeConfig(string EdgeId, string Version, long UpdatedAt, IReadOnlyList<RuleDefinition> Rules)
{
    public byte[] ToPayload()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", Version);
            json.WriteNumber("updatedAt", UpdatedAt);
            json.WritePropertyName("rules");
            json.WriteStartArray();
            foreach (var rule in Rules)
                JsonSerializer.Serialize(json, rule, RulesJsonContext.Default.RuleDefinition);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static EdgeConfig Parse(string edgeId, ReadOnlySpan<byte> payload)
    {
        var document = RuleJson.ReadRuleSet(payload);
        var reader = new Utf8JsonReader(payload);
        using var raw = JsonDocument.ParseValue(ref reader);
        var updatedAt = raw.RootElement.TryGetProperty("updatedAt", out var u) && u.TryGetInt64(out var at) ? at : 0;
        return new EdgeConfig(edgeId, document.Version ?? "0", updatedAt, document.Rules ?? []);
    }
}
