using Fabrica.Platform.Ingest;
using Fabrica.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fabrica.Server.Api;

/// <summary>
/// HTTP ingest: the MQTT payload formats over <c>POST /api/v1/devices/{id}/telemetry</c>. The 2xx is sent only
/// after the samples are durable; a rejected payload gets 400 with an RFC 9457 problem naming the field.
/// </summary>
internal static class IngestApi
{
    public static RouteGroupBuilder MapIngestApi(this RouteGroupBuilder devices)
    {
        devices.MapPost("/{deviceId}/telemetry", Ingest)
            .WithName("IngestTelemetry")
            .WithSummary("Store telemetry of a device (device token, or the token of the gateway that owns it)")
            .WithDescription("Body: `{\"temperature\": 71.2}` (server time), `{\"ts\": 1764480000000, \"values\": {…}}` (epoch ms or RFC 3339), "
                + "or a JSON array of those. 200 after the samples are durable; 400 with the field and the reason otherwise.")
            .Accepts<System.Text.Json.JsonElement>("application/json")
            .DisableAntiforgery();
        return devices;
    }

    private static async Task<Results<Ok<IngestAccepted>, ProblemHttpResult, ForbidHttpResult>> Ingest(
        string deviceId, HttpContext http, TelemetryIngest ingest, CancellationToken cancellationToken)
    {
        if (!http.User.CanPublishFor(deviceId))
            return TypedResults.Forbid();
        var body = http.Request.BodyReader;
        var limit = ingest.Limits.MaxPayloadBytes;
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken);
            if (read.Buffer.Length > limit)
            {
                body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return Problem(deviceId, RejectReason.PayloadTooLarge, null,
                    $"The body is larger than {limit} bytes: send fewer samples per request.");
            }
            if (read.IsCompleted)
            {
                try
                {
                    var outcome = await ingest.IngestAsync(deviceId, read.Buffer, IngestTransport.Http, cancellationToken);
                    return outcome.Error is { } error
                        ? Problem(deviceId, error.Reason, error.Field, error.Message)
                        : TypedResults.Ok(new IngestAccepted(outcome.AcceptedSamples));
                }
                finally
                {
                    body.AdvanceTo(read.Buffer.End);
                }
            }
            body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>400 with the reason and the JSON path of the field; 413 when the body is too large.</summary>
    private static ProblemHttpResult Problem(string deviceId, RejectReason reason, string? field, string message) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = reason == RejectReason.PayloadTooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
            Title = "Telemetry rejected",
            Detail = field is null ? message : $"{field}: {message}",
            Type = $"urn:fabrica:problem:ingest:{reason.WireName()}",
            Extensions = { ["reason"] = reason.WireName(), ["field"] = field, ["device"] = deviceId },
        });
}

/// <param name="Samples">How many samples were stored.</param>
internal sealed record IngestAccepted(int Samples);
