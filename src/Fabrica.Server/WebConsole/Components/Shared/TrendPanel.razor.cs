using System.Globalization;
using Fabrica.Platform.Models;
using Fabrica.Platform.Twins;
using Fabrica.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace Fabrica.Server.WebConsole.Components.Shared;

/// <summary>
/// The asset's trend: stored history of the chosen tags over a time range, aggregated on the server into at most
/// <see cref="TrendQuery.MaxBuckets"/> buckets per tag (so a week of 1 Hz data is 2,000 points, not 604,800), drawn by
/// uPlot. Dragging or wheeling zooms, and the server answers with finer buckets for the new range. While the range is
/// relative ("last hour"), new samples redraw it, throttled; nothing in the browser polls.
/// </summary>
public sealed partial class TrendPanel
{
    private static readonly (string Label, TimeSpan Span)[] Ranges =
    [
        ("15m", TimeSpan.FromMinutes(15)), ("1h", TimeSpan.FromHours(1)), ("6h", TimeSpan.FromHours(6)),
        ("24h", TimeSpan.FromDays(1)), ("7d", TimeSpan.FromDays(7)),
    ];

    /// <summary>Tags plotted when the page opens; each unit gets its own scale, so magnitudes do not flatten each other.</summary>
    private const int MaxDefaultTags = 8;

    /// <summary>A relative range is redrawn with new data at most this often.</summary>
    private static readonly TimeSpan LiveRedraw = TimeSpan.FromSeconds(5);

    [Parameter, EditorRequired] public Asset Asset { get; set; } = default!;
    [Parameter] public AssetType? Type { get; set; }
    [Parameter, EditorRequired] public PlantModel Model { get; set; } = default!;

    [Inject] private TimeSeriesEngine Storage { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private ConsoleClock Clock { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    private readonly string _elementId = "trend-" + Guid.NewGuid().ToString("N")[..8];
    private IReadOnlyList<TagDefinition> _tags = [];
    private readonly HashSet<string> _selected = new(StringComparer.Ordinal);
    private TimeSpan? _relative = TimeSpan.FromHours(1);
    private long _from, _to;
    private string? _fromText, _toText;
    private string? _caption, _message;
    private Severity _messageSeverity = Severity.Info;
    private DotNetObjectReference<TrendPanel>? _self;
    private bool _created;
    private long _lastDraw;
    private string? _shownAsset;

    protected override void OnParametersSet()
    {
        if (_shownAsset == Asset.Id)
            return;
        _shownAsset = Asset.Id;
        _tags = [.. (Type?.TagList ?? []).Where(t => t.Type is DataType.Number or DataType.Integer or DataType.Boolean)];
        _selected.Clear();
        foreach (var tag in _tags.Take(MaxDefaultTags))
            _selected.Add(tag.Name);
        _created = false;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!_created)
        {
            _created = true;
            _self ??= DotNetObjectReference.Create(this);
            await SetRelativeAsync(_relative ?? TimeSpan.FromHours(1));
        }
    }

    /// <summary>New samples of the asset's devices: redraw a relative range now and then.</summary>
    public async Task OnLiveAsync(IReadOnlyList<SeriesSample> samples)
    {
        if (_relative is not { } span || samples.Count == 0 || Time.GetElapsedTime(_lastDraw) < LiveRedraw)
            return;
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        await DrawAsync(now - (long)span.TotalMilliseconds, now + 1, quiet: true);
    }

    private async Task SetRelativeAsync(TimeSpan span)
    {
        _relative = span;
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        await DrawAsync(now - (long)span.TotalMilliseconds, now + 1);
    }

    private async Task ApplyCustomAsync()
    {
        if (!TryParseLocal(_fromText, out var from) || !TryParseLocal(_toText, out var to))
        {
            Show("Enter both times as date and time.", Severity.Warning);
            return;
        }
        if (from >= to)
        {
            Show("“From” must be before “To”.", Severity.Warning);
            return;
        }
        _relative = null;
        await DrawAsync(from, to);
    }

    private async Task PanAsync(double fraction)
    {
        var shift = (long)((_to - _from) * fraction);
        _relative = null;
        await DrawAsync(_from + shift, _to + shift);
    }

    /// <summary>Drag or wheel zoom in the chart: refine the buckets for the range now in view.</summary>
    [JSInvokable]
    public async Task OnZoom(long from, long to)
    {
        if (to - from < 1000)
            to = from + 1000;
        _relative = null;
        await DrawAsync(from, to);
        StateHasChanged();
    }

    private async Task ToggleAsync(string tag, bool on)
    {
        if (on)
            _selected.Add(tag);
        else
            _selected.Remove(tag);
        await DrawAsync(_from, _to);
    }

    private async Task DrawAsync(long from, long to, bool quiet = false)
    {
        (_from, _to) = (from, to);
        _fromText = Clock.Local(from).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        _toText = Clock.Local(to).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        _lastDraw = Time.GetTimestamp();
        var plotted = _tags.Where(t => _selected.Contains(t.Name)).ToList();
        TrendData data;
        try
        {
            data = TrendQuery.Read(Storage, plotted.Select(t => (t, SeriesOf(t))).ToList(), from, to);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            Show("The history could not be read for this range. Try a shorter one.", Severity.Error);
            return;
        }
        _caption = $"{Clock.Format(from)} – {Clock.Format(to)} ({Clock.ZoneName}) · {data.X.Length} buckets of {TrendQuery.Describe(data.Bucket)} per tag, averages";
        if (!quiet)
            _message = plotted.Count == 0 ? "Choose a tag to plot." : data.X.Length == 0 ? "No stored data in this range." : null;
        await JS.InvokeAsync<int>("fabricaConsole.render", _elementId, data.ToJs(), _self);
        StateHasChanged();
    }

    private SeriesKey SeriesOf(TagDefinition tag) =>
        !tag.IsComputed && Asset.BindingMap.TryGetValue(tag.Name, out var binding)
            ? new SeriesKey(binding.Device, binding.Tag ?? tag.Name)
            : new SeriesKey(ProductionLoop.SeriesPrefix + Asset.Id, tag.Name);

    private bool TryParseLocal(string? text, out long unixMs)
    {
        unixMs = 0;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return false;
        var guess = DateTimeOffset.FromUnixTimeMilliseconds(new DateTimeOffset(local, TimeSpan.Zero).ToUnixTimeMilliseconds());
        unixMs = guess.ToUnixTimeMilliseconds() - Clock.OffsetSeconds(guess.ToUnixTimeMilliseconds()) * 1000L;
        return true;
    }

    private void Show(string message, Severity severity) => (_message, _messageSeverity) = (message, severity);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("fabricaConsole.destroy", _elementId);
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone; so is the chart.
        }
        _self?.Dispose();
    }
}
