namespace Fabrica.Platform.Ingest;

/// <summary>
/// Why a whole message was dropped. <see cref="Field"/> is a JSON path into the payload
/// (<c>$[3].values.temperature</c>), or null when the fault is not at one place (size, syntax at a byte offset
/// is in the message). <see cref="Message"/> is written for the person fixing the device.
/// </summary>
public sealed record TelemetryRejection(RejectReason Reason, string? Field, string Message)
{
    public override string ToString() => Field is null
        ? $"{Reason.WireName()}: {Message}"
        : $"{Reason.WireName()} at {Field}: {Message}";
}

/// <summary>The outcome of <see cref="TelemetryPayloadParser.Parse(ReadOnlySpan{byte}, string, long, IngestLimits, TagCache?)"/>.</summary>
public readonly record struct TelemetryParseResult(SeriesSample[] Samples, TelemetryRejection? Rejection)
{
    public bool IsAccepted => Rejection is null;
}
