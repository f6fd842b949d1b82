using System.Globalization;
using System.Text;

namespace Fabrica.Cli.Demo;

/// <summary>
/// A small plant for <c>fabrica demo</c>: a press, a pump and an energy meter whose signals look like real ones
/// (slow thermal drift, cyclic pressure, noisy vibration, monotonic counters, occasional stops). The real simulator
/// with physics, wear and faults comes with the edge gateway; this only makes data appear at once.
/// </summary>
internal sealed class DemoPlant(int seed = 7)
{
    private readonly Random _random = new(seed);
    private double _pressTemperature = 62;
    private double _strokes;
    private double _energyKwh = 18_240;
    private bool _pressRunning = true;
    private long _tick;

    public static IReadOnlyList<string> Devices { get; } = ["press-1", "pump-1", "meter-1"];

    /// <summary>One JSON telemetry message per device for the second <paramref name="now"/> (epoch ms).</summary>
    public IEnumerable<(string Device, string Payload)> Sample(long now)
    {
        _tick++;
        if (_random.NextDouble() < 0.01)
            _pressRunning = !_pressRunning;
        var load = _pressRunning ? 1.0 : 0.05;
        _pressTemperature += (_pressRunning ? 0.02 : -0.05) * (75 - _pressTemperature) / 10 + Noise(0.03);
        if (_pressRunning)
            _strokes += 1;
        var pressure = _pressRunning ? 195 + 12 * Math.Sin(_tick / 6.0) + Noise(0.8) : 2 + Noise(0.1);
        var flow = 42 + 3 * Math.Sin(_tick / 120.0) + Noise(0.4);
        var vibration = Math.Abs(2.1 + Noise(0.35) + (_tick % 600 > 590 ? 2.5 : 0));
        var power = 11 + 37 * load + Noise(0.6);
        _energyKwh += power / 3600;

        yield return ("press-1", Json(now, ("temperature", Round(_pressTemperature, 2)), ("hydraulic_pressure", Round(pressure, 1)),
            ("strokes", _strokes), ("running", _pressRunning ? 1 : 0)));
        yield return ("pump-1", Json(now, ("flow_rate", Round(flow, 2)), ("vibration", Round(vibration, 3)),
            ("bearing_temperature", Round(48 + 0.2 * vibration + Noise(0.05), 2))));
        yield return ("meter-1", Json(now, ("power_kw", Round(power, 2)), ("energy_kwh", Round(_energyKwh, 3))));
    }

    private double Noise(double sigma) => sigma * (_random.NextDouble() + _random.NextDouble() + _random.NextDouble() - 1.5) * 2;

    private static double Round(double value, int decimals) => Math.Round(value, decimals);

    private static string Json(long ts, params (string Key, double Value)[] values)
    {
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $"{{\"ts\":{ts},\"values\":{{");
        for (var i = 0; i < values.Length; i++)
        {
            var (key, value) = values[i];
            // "running" is a state: published as a JSON boolean, as a PLC would report a coil.
            var text = key == "running" ? (value != 0 ? "true" : "false") : value.ToString("R", CultureInfo.InvariantCulture);
            json.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ",")}\"{key}\":{text}");
        }
        return json.Append("}}").ToString();
    }
}
