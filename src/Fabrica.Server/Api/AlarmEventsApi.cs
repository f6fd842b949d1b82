using Fabrica.Platform.Alarms;
using Fabrica.Platform.Models;
using Fabrica.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fabrica.Server.Api;

/// <summary>
/// An asset's alarm changes as a long-poll event (the TD's <c>alarm</c> event, subprotocol <c>longpoll</c>, as
/// node-wot's HTTP binding subscribes): a <c>GET</c> waits for the next change of an alarm of the asset and answers it;
/// the client polls again. Changes between two polls are not queued — the alarm list and history hold every one.
/// <c>HEAD</c> answers at once (node-wot's subscription handshake).
/// </summary>
internal static class AlarmEventsApi
{
    public static RouteGroupBuilder MapAssetAlarmEventsApi(this RouteGroupBuilder assets)
    {
        assets.MapMethods("/{assetId}/alarm-events", [HttpMethods.Get, HttpMethods.Head], NextChange).RequireAuthorization(Policies.Viewer)
            .WithName("WaitForAssetAlarmChange")
            .WithSummary("Long poll: waits for the next change of an alarm of the asset and returns the alarm (the TD's alarm event)")
            .Produces<Alarm>();
        return assets;
    }

    private static async Task<Results<Ok<Alarm>, Ok, NotFound>> NextChange(
        string assetId, HttpContext http, ModelCatalog catalog, AlarmBook book, IHostApplicationLifetime lifetime)
    {
        if (!catalog.Current.Assets.ContainsKey(assetId))
            return TypedResults.NotFound();
        if (HttpMethods.IsHead(http.Request.Method))
            return TypedResults.Ok();
        var next = new TaskCompletionSource<Alarm>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(Alarm alarm)
        {
            if (alarm.AssetId == assetId)
                next.TrySetResult(alarm);
        }
        book.Changed += OnChanged;
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
            return TypedResults.Ok(await next.Task.WaitAsync(stop.Token));
        }
        catch (OperationCanceledException)
        {
            return TypedResults.Ok(); // the client left or the platform stops: nothing happened to report
        }
        finally
        {
            book.Changed -= OnChanged;
        }
    }
}
