using System.Diagnostics.Metrics;

namespace Fabrica.Platform.Alarms;

/// <summary>
/// Alarm metrics (meter <c>Fabrica.Alarms</c>): alarms raised by priority, open alarms, and the alarm rate per operator
/// area over the last 10 minutes — the ISA-18.2 / EEMUA 191 flood measure (more than 10 per 10 minutes is a flood).
/// </summary>
public sealed class AlarmMetrics : IDisposable
{
    public const string MeterName = "Fabrica.Alarms";
    public const int FloodThreshold = 10;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private readonly Meter _meter;
    private readonly Counter<long> _raised;
    private readonly TimeProvider _time;
    private readonly Queue<(long Time, string Area)> _recent = new();
    private readonly Lock _lock = new();
    private int _open;

    public AlarmMetrics(IMeterFactory? meterFactory, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _raised = _meter.CreateCounter<long>("fabrica.alarms.raised", "{alarm}", "Alarms raised (and re-raised), by priority");
        _meter.CreateObservableGauge("fabrica.alarms.open", () => Volatile.Read(ref _open), "{alarm}", "Alarms not yet back to normal");
        _meter.CreateObservableGauge("fabrica.alarms.rate_10m", ObserveRates, "{alarm}", "Alarms raised in the last 10 minutes, per operator area (flood above 10)");
    }

    /// <summary>Records a raise; true when the area's rate just passed the flood threshold.</summary>
    public bool Raised(string area, int priority)
    {
        _raised.Add(1, new KeyValuePair<string, object?>("priority", priority));
        lock (_lock)
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            _recent.Enqueue((now, area));
            Trim(now);
            return _recent.Count(r => r.Area == area) == FloodThreshold + 1;
        }
    }

    /// <summary>Alarms raised in the last 10 minutes in <paramref name="area"/>.</summary>
    public int RateOf(string area)
    {
        lock (_lock)
        {
            Trim(_time.GetUtcNow().ToUnixTimeMilliseconds());
            return _recent.Count(r => r.Area == area);
        }
    }

    internal void SetOpen(IReadOnlyCollection<Alarm> open) => Volatile.Write(ref _open, open.Count);

    private IEnumerable<Measurement<int>> ObserveRates()
    {
        lock (_lock)
        {
            Trim(_time.GetUtcNow().ToUnixTimeMilliseconds());
            return [.. _recent.GroupBy(r => r.Area).Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("area", g.Key)))];
        }
    }

    private void Trim(long now)
    {
        while (_recent.Count > 0 && now - _recent.Peek().Time > Window.TotalMilliseconds)
            _recent.Dequeue();
    }

    public void Dispose() => _meter.Dispose();
}
