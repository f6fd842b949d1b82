namespace Fabrica.Benchmarks.Chunks;

/// <summary>
/// Four realistic plant signals, one day at 1 Hz, seeded so that every run measures the same bytes.
/// Timestamps are either an exact 1 s grid or a polling gateway's (0–4 ms late on every sample).
/// </summary>
internal static class IndustrialSignals
{
    public const int Day = 86_400;
    private const long Start = 1_767_225_600_000; // 2026-01-01T00:00:00Z

    public static IReadOnlyList<(string Name, Sample[] Samples)> All(bool jitter) =>
    [
        ("temperature °C, 2 decimals, drift + noise", Temperature(jitter)),
        ("vibration mm/s, 3 decimals, noisy", Vibration(jitter)),
        ("machine state, long, 4 states", MachineState(jitter, asDouble: false)),
        ("machine state, double, 4 states", MachineState(jitter, asDouble: true)),
        ("part counter, long, shift resets", Counter(jitter)),
    ];

    public static Sample[] Temperature(bool jitter)
    {
        var random = new Random(1);
        double drift = 0;
        return Build(jitter, 2, i =>
        {
            drift += (random.NextDouble() - 0.5) * 0.01;
            double daily = 50 + (25 * Math.Sin(2 * Math.PI * i / Day));
            return Math.Round(daily + drift + (Gaussian(random) * 0.02), 2);
        });
    }

    public static Sample[] Vibration(bool jitter)
    {
        var random = new Random(2);
        return Build(jitter, 3, i =>
            Math.Round(Math.Max(0, 4 + (1.5 * Math.Sin(2 * Math.PI * i / 3600)) + (Gaussian(random) * 0.3)), 3));
    }

    public static Sample[] MachineState(bool jitter, bool asDouble)
    {
        var random = new Random(4);
        long state = 1;
        int remaining = 0;
        return Build(jitter, 4, i =>
        {
            if (remaining-- <= 0)
            {
                state = random.Next(4);
                remaining = random.Next(300, 1800);
            }

            return asDouble ? SampleValue.FromDouble(state) : SampleValue.FromLong(state);
        });
    }

    public static Sample[] Counter(bool jitter)
    {
        var random = new Random(3);
        long count = 0;
        return Build(jitter, 5, i =>
        {
            count = i % (8 * 3600) == 0 ? 0 : count + (random.Next(10) < 3 ? random.Next(1, 4) : 0);
            return count;
        });
    }

    private static Sample[] Build(bool jitter, int seed, Func<int, SampleValue> value)
    {
        var random = new Random(seed * 31);
        var samples = new Sample[Day];
        for (int i = 0; i < Day; i++)
        {
            samples[i] = new Sample(Start + (i * 1000L) + (jitter ? random.Next(5) : 0), value(i));
        }

        return samples;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
