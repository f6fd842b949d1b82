using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Fabrica.Platform.Ingest;

/// <summary>
/// Turns a device's JSON telemetry into samples (docs/ingest.md). Accepted shapes, at the top level or as the
/// elements of an array:
/// <code>
///   {"temperature": 71.2, "running": true}                          server time, quality good
///   {"ts": 1764480000000, "q": "uncertain", "values": {...}}        ts: Unix ms or RFC 3339; q and ts optional
/// </code>
/// A message is all or nothing: the first fault rejects the whole message and nothing of it is kept, so that
/// a device never has to work out which half of a batch was stored. Never throws on any payload.
/// </summary>
public static class TelemetryPayloadParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>Parses into a new array (one allocation per message). The ingest service uses <see cref="TryParse(ReadOnlySpan{byte}, string, long, IngestLimits, SampleBatch, out TelemetryRejection?, TagCache?)"/>.</summary>
    public static TelemetryParseResult Parse(ReadOnlySpan<byte> payload, string deviceId, long now, IngestLimits limits, TagCache? tags = null)
    {
        using var batch = new SampleBatch();
        return TryParse(payload, deviceId, now, limits, batch, out var rejection, tags)
            ? new TelemetryParseResult(batch.Span.ToArray(), null)
            : new TelemetryParseResult([], rejection);
    }

    public static TelemetryParseResult Parse(in ReadOnlySequence<byte> payload, string deviceId, long now, IngestLimits limits, TagCache? tags = null)
    {
        using var batch = new SampleBatch();
        return TryParse(payload, deviceId, now, limits, batch, out var rejection, tags)
            ? new TelemetryParseResult(batch.Span.ToArray(), null)
            : new TelemetryParseResult([], rejection);
    }

    /// <summary>
    /// Appends the samples of one message for <paramref name="deviceId"/> to <paramref name="into"/>, or leaves it as it was
    /// and returns the rejection. <paramref name="now"/> (Unix ms) stamps samples without <c>ts</c> and bounds future ones.
    /// Tag names are interned in <paramref name="tags"/> (<see cref="TagCache.Shared"/> when null).
    /// </summary>
    public static bool TryParse(
        ReadOnlySpan<byte> payload,
        string deviceId,
        long now,
        IngestLimits limits,
        SampleBatch into,
        [NotNullWhen(false)] out TelemetryRejection? rejection,
        TagCache? tags = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(into);

        if (payload.Length > limits.MaxPayloadBytes)
        {
            rejection = TooLarge(payload.Length, limits);
            return false;
        }

        // A UTF-8 byte order mark is not JSON (RFC 8259 §8.1) but some device SDKs write one; it carries nothing.
        if (payload.StartsWith(Utf8ByteOrderMark))
            payload = payload[3..];
        if (payload.Trim(" \t\r\n"u8).IsEmpty)
        {
            rejection = new TelemetryRejection(RejectReason.EmptyPayload, null, "The payload is empty. Send a JSON object such as {\"temperature\": 71.2}.");
            return false;
        }

        var first = into.Count;
        var reader = new TelemetryReader(payload, ReaderOptions, deviceId, now, limits, into, tags ?? TagCache.Shared);
        try
        {
            if (reader.ReadMessage())
            {
                rejection = null;
                return true;
            }
            rejection = reader.Rejection!;
        }
        catch (JsonException e)
        {
            rejection = new TelemetryRejection(RejectReason.MalformedJson, null, Malformed(e));
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader checks UTF-8 only when a string is decoded.
            rejection = new TelemetryRejection(RejectReason.MalformedJson, null, "The payload is not valid UTF-8 text. Encode JSON as UTF-8.");
        }
        finally
        {
            reader.Release();
        }

        into.Truncate(first);
        return false;
    }

    /// <summary>As the span overload; a payload split over several segments (MQTT, pipelines) is copied once.</summary>
    public static bool TryParse(
        in ReadOnlySequence<byte> payload,
        string deviceId,
        long now,
        IngestLimits limits,
        SampleBatch into,
        [NotNullWhen(false)] out TelemetryRejection? rejection,
        TagCache? tags = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (payload.IsSingleSegment)
            return TryParse(payload.FirstSpan, deviceId, now, limits, into, out rejection, tags);
        if (payload.Length > limits.MaxPayloadBytes)
        {
            rejection = TooLarge(payload.Length, limits);
            return false;
        }

        var length = (int)payload.Length;
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            payload.CopyTo(copy);
            return TryParse(copy.AsSpan(0, length), deviceId, now, limits, into, out rejection, tags);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static TelemetryRejection TooLarge(long length, IngestLimits limits) => new(
        RejectReason.PayloadTooLarge,
        null,
        string.Create(CultureInfo.InvariantCulture, $"The payload has {length} bytes; at most {limits.MaxPayloadBytes} are accepted. Split it into smaller batches."));

    private static string Malformed(JsonException e)
    {
        // The reader's message ends with its own position; state it in words people count in (from 1).
        var reason = e.Message;
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
            reason = reason[..cut];
        return string.Create(CultureInfo.InvariantCulture, $"The payload is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}): {reason}");
    }
}
