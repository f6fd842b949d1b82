using System.Buffers;
using System.Text;

namespace Fabrica.Server.Mqtt;

/// <summary>
/// The platform half of the delivery trace (docs/edge.md, "Tracing a loss"): with <c>FABRICA_DELIVERY_TRACE=1</c> the
/// MQTT bridge logs, at Information, every connection it accepts or loses and every telemetry message with what was
/// stored and the PUBACK it answered — the edge logs the other half, so a missing sample can be followed end to end.
/// </summary>
internal static class DeliveryTrace
{
    public const string Variable = "FABRICA_DELIVERY_TRACE";

    public static bool Enabled { get; } = Environment.GetEnvironmentVariable(Variable) is "1" or "true" or "yes";

    /// <summary>The start of a payload as text, enough to show the timestamps of an edge's record.</summary>
    public static string Excerpt(ReadOnlySequence<byte> payload, int max = 400)
    {
        var length = (int)Math.Min(payload.Length, max);
        var text = Encoding.UTF8.GetString(payload.Slice(0, length));
        return payload.Length > max ? text + "…" : text;
    }
}
