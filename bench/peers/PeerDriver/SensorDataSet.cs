using System.Globalization;

namespace Fabrica.Bench.Peers;

/// <summary>
/// The data set both systems get: <c>devices × tagsPerDevice</c> series (device <c>d000</c>…, tag <c>t0</c>…) at 1 Hz
/// for <c>seconds</c> seconds from <c>startMs</c>. Each series is a mean-reverting random walk plus a daily cycle plus
/// measurement noise, rounded to 1, 2 or 3 decimals (series index mod 3), the way a PLC or transmitter reports a reading.
/// Generated once into memory (8 bytes per point) from a fixed seed, so every run and both systems see identical values.
/// </summary>
internal sealed class SensorDataSet
{
    private readonly double[] _values;

    private SensorDataSet(int devices, int tagsPerDevice, int seconds, long startMs)
    {
        Devices = devices;
        TagsPerDevice = tagsPerDevice;
        Seconds = seconds;
        StartMs = startMs;
        _values = new double[(long)SeriesCount * seconds];
        Parallel.For(0, SeriesCount, FillSeries);
        DeviceIds = [.. Enumerable.Range(0, devices).Select(d => string.Create(CultureInfo.InvariantCulture, $"d{d:D3}"))];
        TagNames = [.. Enumerable.Range(0, tagsPerDevice).Select(t => string.Create(CultureInfo.InvariantCulture, $"t{t}"))];
    }

    public int Devices { get; }

    public int TagsPerDevice { get; }

    public int Seconds { get; }

    public long StartMs { get; }

    public int SeriesCount => Devices * TagsPerDevice;

    public long PointCount => (long)SeriesCount * Seconds;

    public IReadOnlyList<string> DeviceIds { get; }

    public IReadOnlyList<string> TagNames { get; }

    public static SensorDataSet Create(Options o) =>
        new(o.Int("devices", 100), o.Int("tags", 10), o.Int("seconds", 86_400), o.Long("start-ms"));

    public static int Series(int device, int tag, int tagsPerDevice) => device * tagsPerDevice + tag;

    public double Value(int series, int second) => _values[(long)series * Seconds + second];

    public long Timestamp(int second) => StartMs + second * 1000L;

    private void FillSeries(int series)
    {
        var rng = new SplitMix64(0x5EED_0000UL + (ulong)series);
        var decimals = 1 + series % 3;
        var lsb = Math.Pow(10, -decimals);
        var level = 10 + series * 37 % 90 + rng.NextDouble();
        var amplitude = 0.5 + 3 * rng.NextDouble();
        var phase = 2 * Math.PI * rng.NextDouble();
        var walkSd = 1.0 * lsb;
        var noiseSd = 2.5 * lsb;
        var walk = 0.0;
        var offset = (long)series * Seconds;
        for (var i = 0; i < Seconds; i++)
        {
            walk += -0.001 * walk + walkSd * rng.NextGaussian();
            var x = level + amplitude * Math.Sin(2 * Math.PI * i / 86_400 + phase) + walk + noiseSd * rng.NextGaussian();
            _values[offset + i] = Math.Round(x, decimals, MidpointRounding.AwayFromZero);
        }
    }

    /// <summary>SplitMix64 (Steele et al. 2014): tiny, fast, and the same on every machine.</summary>
    private struct SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

        /// <summary>Irwin–Hall approximation of a standard normal (sum of 12 uniforms − 6 would be exact-er; 4 is enough here).</summary>
        public double NextGaussian() => (NextDouble() + NextDouble() + NextDouble() + NextDouble() - 2.0) * 1.7320508075688772;
    }
}
