namespace Fabrica.Platform.Ingest;

/// <summary>How a message arrived; the <c>transport</c> tag of <c>fabrica.ingest.messages</c>.</summary>
public enum IngestTransport
{
    Mqtt,
    Http,

    /// <summary>
    /// An edge's buffered data, sent after an outage on <c>…/telemetry/backfill</c>: stored at the original
    /// timestamps like any other data, but not evaluated by real-time rules (they would fire hours late).
    /// </summary>
    MqttBackfill,

    /// <summary>Sparkplug B over MQTT (<c>spBv1.0/…</c>), decoded by the Sparkplug host application.</summary>
    Sparkplug,
}

/// <summary>
/// The result of one message: how many samples were stored, or the report to send back to the device
/// (MQTT: publish it on <c>fabrica/devices/{id}/errors</c> and PUBACK 0x99; HTTP: a 400 problem body).
/// </summary>
public readonly record struct IngestOutcome(int AcceptedSamples, IngestErrorReport? Error)
{
    public bool IsAccepted => Error is null;

    public static IngestOutcome Accepted(int samples) => new(samples, null);

    public static IngestOutcome Rejected(IngestErrorReport error) => new(0, error ?? throw new ArgumentNullException(nameof(error)));
}
