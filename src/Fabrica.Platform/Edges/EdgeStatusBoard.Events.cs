using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Fabrica.Platform.Edges;

/// <summary>
/// Events that edge rules emit on <c>fabrica/edges/{edgeId}/events</c> (or a subtopic): each is logged (event id
/// 4301), counted (<c>fabrica.edge.events</c>) and kept — the newest <see cref="EventsPerEdge"/> per edge — for
/// <c>GET /api/v1/edges/{id}/events</c>. The payload is the rules library's transition message (docs/rules.md,
/// "Events"); one that is not JSON is kept as the reason it was not.
/// </summary>
public sealed partial class EdgeStatusBoard
{
    public const int EventsPerEdge = 200;

    private readonly ConcurrentDictionary<string, ConcurrentQueue<EdgeEvent>> _events = new(StringComparer.Ordinal);
    private readonly Counter<long>? _eventCounter = meterFactory?.Create("Fabrica.Mqtt").CreateCounter<long>(
        "fabrica.edge.events", "{event}", "Events emitted by edge rules and received by the platform");

    public void RecordEvent(string edgeId, string topic, ReadOnlySpan<byte> payload)
    {
        JsonElement body;
        string rule = "?", kind = "?";
        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            body = document.RootElement.Clone();
            if (body.ValueKind == JsonValueKind.Object)
            {
                rule = body.TryGetProperty("ruleId", out var r) ? r.ToString() : rule;
                kind = body.TryGetProperty("kind", out var k) ? k.ToString() : kind;
            }
        }
        catch (JsonException e)
        {
            body = JsonSerializer.SerializeToElement($"event is not JSON: {e.Message}", EdgeJsonContext.Default.String);
        }
        var queue = _events.GetOrAdd(edgeId, _ => new ConcurrentQueue<EdgeEvent>());
        queue.Enqueue(new EdgeEvent(edgeId, topic, UnixTime.Now(time), body));
        while (queue.Count > EventsPerEdge)
            queue.TryDequeue(out _);
        _eventCounter?.Add(1);
        if (logger is not null)
            LogEdgeEvent(logger, edgeId, rule, kind, topic);
    }

    /// <summary>The newest events of an edge, oldest first.</summary>
    public IReadOnlyList<EdgeEvent> Events(string edgeId) => _events.TryGetValue(edgeId, out var queue) ? [.. queue] : [];

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Edge {EdgeId}: rule {RuleId} {Kind} (event on {Topic})")]
    private static partial void LogEdgeEvent(ILogger logger, string edgeId, string ruleId, string kind, string topic);
}

/// <param name="ReceivedAt">When the platform received it (UTC Unix ms); the event's own <c>timestamp</c> is the edge's.</param>
/// <param name="Event">The event as the edge sent it.</param>
public sealed record EdgeEvent(string EdgeId, string Topic, long ReceivedAt, JsonElement Event);
