namespace Fabrica.Edge.Buffering;

/// <summary>
/// The delivery trace (docs/edge.md, "Tracing a loss"): with <c>FABRICA_DELIVERY_TRACE=1</c> in the environment the
/// edge logs, at Information, every record appended, every commit and head checkpoint, what opening the buffer found,
/// and every publish with its PUBACK — so that a sample missing on the platform can be followed to where it was lost.
/// Off by default: it is a line per record.
/// </summary>
internal static class DeliveryTrace
{
    public const string Variable = "FABRICA_DELIVERY_TRACE";

    public static bool Enabled { get; } = Environment.GetEnvironmentVariable(Variable) is "1" or "true" or "yes";
}
