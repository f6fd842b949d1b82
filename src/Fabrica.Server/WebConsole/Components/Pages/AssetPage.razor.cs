using System.Text.Json;
using Fabrica.Platform.Alarms;
using Fabrica.Platform.Models;
using Fabrica.Platform.Twins;
using Fabrica.Server.WebConsole.Components.Shared;
using Fabrica.Server.WebConsole.Live;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Fabrica.Server.WebConsole.Components.Pages;

/// <summary>
/// One asset: live values from its twin, pushed as samples of its devices arrive (the live feed, over the circuit);
/// its trend, alarms, commands and attributes.
/// </summary>
public sealed partial class AssetPage
{
    /// <summary>Re-render at most this often however fast samples arrive: the eye gains nothing from more.</summary>
    private static readonly TimeSpan RenderEvery = TimeSpan.FromMilliseconds(250);

    [Parameter] public string AssetId { get; set; } = "";

    [Inject] private ModelCatalog Catalog { get; set; } = default!;
    [Inject] private TwinBoard Twins { get; set; } = default!;
    [Inject] private LiveSampleFeed Feed { get; set; } = default!;
    [Inject] private ConsoleClock Clock { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private AlarmBook Alarms { get; set; } = default!;

    private PlantModel _model = PlantModel.Empty;
    private Asset? _asset;
    private AssetType? _type;
    private AssetTwin? _twin;
    private TrendPanel? _trend;
    private List<BreadcrumbItem> _breadcrumbs = [];
    private LiveFollower? _follower;
    private CancellationTokenSource? _stop;

    private long Now => Time.GetUtcNow().ToUnixTimeMilliseconds();

    private string Status => _hasAlarm ? "alarm" : _twin?.LastSeen is null ? "no data" : "normal";

    private Color StatusColor => Status switch { "alarm" => Color.Error, "normal" => Color.Success, _ => Color.Default };

    private bool _hasAlarm;

    protected override async Task OnParametersSetAsync()
    {
        await StopFollowingAsync();
        _model = Catalog.Current;
        _asset = _model.Assets.GetValueOrDefault(AssetId);
        _type = _asset is null ? null : _model.TypeOf(_asset);
        _twin = _asset is null ? null : Twins.GetOrAdd(_asset.Id);
        if (_asset is null)
            return;
        _breadcrumbs = [new BreadcrumbItem("Assets", "/assets")];
        var chain = new List<Asset>();
        for (var a = _model.Assets.GetValueOrDefault(_asset.Parent ?? ""); a is not null; a = _model.Assets.GetValueOrDefault(a.Parent ?? ""))
            chain.Insert(0, a);
        _breadcrumbs.AddRange(chain.Select(a => new BreadcrumbItem(a.Name ?? a.Id, "/assets/" + Uri.EscapeDataString(a.Id))));
        _breadcrumbs.Add(new BreadcrumbItem(_asset.Name ?? _asset.Id, null, disabled: true));
        Clock.Changed += OnClockChanged;
        _hasAlarm = HasActiveAlarm();
        // Computed tags are not ingested; they change when the tags they read do, i.e. with these devices' samples.
        _follower = Feed.Follow(_asset.BindingMap.Values.Select(b => b.Device));
        _stop = new CancellationTokenSource();
        _ = FollowAsync(_follower, _stop.Token);
    }

    // Server push: each batch of samples for this asset's devices re-renders the changed cells over the circuit.
    private async Task FollowAsync(LiveFollower follower, CancellationToken cancellationToken)
    {
        try
        {
            var reader = follower.Samples;
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                var batch = new List<SeriesSample>();
                while (reader.TryRead(out var sample))
                    batch.Add(sample);
                _hasAlarm = HasActiveAlarm();
                await InvokeAsync(StateHasChanged);
                if (_trend is not null)
                    await InvokeAsync(() => _trend.OnLiveAsync(batch));
                await Task.Delay(RenderEvery, Time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The page was left or shows another asset.
        }
    }

    private bool HasActiveAlarm() => Alarms.OpenFor(AssetId).Any(a => a.IsActive);

    private void OnClockChanged() => _ = InvokeAsync(StateHasChanged);

    private static string AttributeText(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText();

    private async Task StopFollowingAsync()
    {
        Clock.Changed -= OnClockChanged;
        if (_stop is not null)
        {
            await _stop.CancelAsync();
            _stop.Dispose();
            _stop = null;
        }
        _follower?.Dispose();
        _follower = null;
    }

    public ValueTask DisposeAsync() => new(StopFollowingAsync());
}
