using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Fabrica.Platform.Edges;

/// <summary>
/// The last status each edge reported on <c>fabrica/edges/{edgeId}/status</c> (applied config version, link and
/// device states, buffer depth, last error — the edge decides the fields), and whether it is connected. In memory:
/// an edge re-publishes its status (retained) when it reconnects, so nothing here needs to survive a restart.
/// </summary>
public sealed partial class EdgeStatusBoard(TimeProvider time, ILogger<EdgeStatusBoard>? logger = null, IMeterFactory? meterFactory = null)
{
    private readonly ConcurrentDictionary<string, EdgeStatus> _statuses = new(StringComparer.Ordinal);

    /// <summary>Records a status message; a payload that is not a JSON object is kept as an error note.</summary>
    public void Report(string edgeId, ReadOnlySpan<byte> payload)
    {
        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            body = document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : JsonSerializer.SerializeToElement("status is not a JSON object", EdgeJsonContext.Default.String);
        }
        catch (JsonException e)
        {
            body = JsonSerializer.SerializeToElement($"status is not JSON: {e.Message}", EdgeJsonContext.Default.String);
        }
        _statuses[edgeId] = new EdgeStatus(true, UnixTime.Now(time), body);
    }

    public void Connected(string edgeId) =>
        _statuses.AddOrUpdate(edgeId, _ => new EdgeStatus(true, UnixTime.Now(time), null), (_, s) => s with { Online = true, Since = UnixTime.Now(time) });

    public void Disconnected(string edgeId) =>
        _statuses.AddOrUpdate(edgeId, _ => new EdgeStatus(false, UnixTime.Now(time), null), (_, s) => s with { Online = false, Since = UnixTime.Now(time) });

    public EdgeStatus? Get(string edgeId) => _statuses.TryGetValue(edgeId, out var status) ? status : null;

    public void Forget(string edgeId)
    {
        _statuses.TryRemove(edgeId, out _);
        _events.TryRemove(edgeId, out _);
    }
}

/// <param name="Online">Connected to the broker now.</param>
/// <param name="Since">When the connection state or the report last changed (UTC Unix ms).</param>
/// <param name="Report">The edge's last status message, as it sent it.</param>
public sealed record EdgeStatus(bool Online, long Since, JsonElement? Report);

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class EdgeJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
