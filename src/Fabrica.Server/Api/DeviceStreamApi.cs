using System.Buffers;
using System.Text.Json;
using Fabrica.Server.Auth;
using Fabrica.Server.WebConsole.Live;
using Fabrica.Server.WebConsole.Session;
using Fabrica.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fabrica.Server.Api;

/// <summary>
/// Live values of a device as server-sent events (WHATWG HTML §9.2): the push channel the console uses, open to any
/// client that can read a text/event-stream. Bearer token or the console's session cookie (a browser's EventSource
/// cannot send an Authorization header).
/// </summary>
internal static class DeviceStreamApi
{
    /// <summary>A comment line this often keeps idle streams open through proxies and shows a dead peer to the server.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static RouteGroupBuilder MapDeviceStreamApi(this RouteGroupBuilder devices)
    {
        devices.MapGet("/{deviceId}/stream", StreamAsync)
            .RequireAuthorization(ConsoleSession.StreamPolicy)
            .WithName("StreamDeviceTelemetry")
            .WithSummary("Live telemetry of a device as server-sent events")
            .WithDescription("`text/event-stream`. First one `latest` event per tag with its stored latest value, then one `sample` "
                + "event per sample as it is stored: `data: {\"tag\": \"temperature\", \"ts\": 1764480000000, \"value\": 71.2}` "
                + "(`q` when the quality is not good). A comment line every 15 s keeps the stream open. A reader that falls "
                + $"more than {LiveSampleFeed.FollowerCapacity} samples behind misses samples; ingest never waits for readers. "
                + "Accepts `Authorization: Bearer` or the console's session cookie.")
            .Produces<LiveSampleEvent>(StatusCodes.Status200OK, "text/event-stream");
        return devices;
    }

    private static async Task<Results<EmptyHttpResult, ForbidHttpResult>> StreamAsync(
        string deviceId, HttpContext http, LiveSampleFeed feed, TimeSeriesEngine storage)
    {
        if (!http.User.CanReadDevice(deviceId))
            return TypedResults.Forbid();
        var cancellationToken = http.RequestAborted;
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // Tell reverse proxies (nginx) not to buffer the stream.
        response.Headers["X-Accel-Buffering"] = "no";
        using var follower = feed.Follow([deviceId]);
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            foreach (var info in storage.ListSeries(device: deviceId))
            {
                if (storage.ReadLatest(info.Key) is { } latest)
                    WriteEvent(buffer, "latest"u8, info.Key.Tag, latest);
            }
            buffer.Write(": live\n\n"u8);
            await FlushAsync(response, buffer, cancellationToken).ConfigureAwait(false);
            var reader = follower.Samples;
            while (!cancellationToken.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(KeepAlive);
                bool more;
                try
                {
                    more = await reader.WaitToReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    buffer.Write(": keep-alive\n\n"u8);
                    await FlushAsync(response, buffer, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (!more)
                    break;
                while (buffer.WrittenCount < 64 * 1024 && reader.TryRead(out var sample))
                    WriteEvent(buffer, "sample"u8, sample.Series.Tag, sample.Sample);
                await FlushAsync(response, buffer, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: the normal end of a stream.
        }
        return TypedResults.Empty;
    }

    private static void WriteEvent(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> kind, string tag, in Sample sample)
    {
        buffer.Write("event: "u8);
        buffer.Write(kind);
        buffer.Write("\ndata: "u8);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("tag", tag);
            writer.WriteNumber("ts", sample.Timestamp);
            writer.WritePropertyName("value");
            TelemetryJson.WriteValue(writer, sample.Value);
            if (sample.Quality != Quality.Good)
                writer.WriteString("q", sample.Quality == Quality.Bad ? "bad" : "uncertain");
            writer.WriteEndObject();
        }
        // Utf8JsonWriter escapes control characters, so the JSON holds no newline that would end the data line.
        buffer.Write("\n\n"u8);
    }

    private static async Task FlushAsync(HttpResponse response, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        buffer.ResetWrittenCount();
    }
}

/// <summary>The <c>data</c> of one stream event, for the OpenAPI document (events are written by hand).</summary>
/// <param name="Tag">The device's tag.</param>
/// <param name="Ts">UTC Unix milliseconds.</param>
/// <param name="Value">Number, boolean or string; null for a stored NaN or infinity.</param>
/// <param name="Q">Absent when good; "uncertain" or "bad" otherwise.</param>
internal sealed record LiveSampleEvent(string Tag, long Ts, JsonElement Value, string? Q);
