namespace Fabrica.Simulator.Physics;

/// <summary>
/// The simulator's only source of chance: xoshiro256** seeded through SplitMix64 (Blackman and Vigna, 2018).
/// Written here rather than <see cref="Random"/> so that a seed gives the same plant on every runtime version.
/// Not for anything secret.
/// </summary>
public sealed class SimulationRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SimulationRandom(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>An independent stream for one part of the plant, so that adding a machine leaves the others unchanged.</summary>
    public static SimulationRandom For(int seed, string stream)
    {
        // FNV-1a over the stream name: stable across processes, unlike string.GetHashCode.
        var hash = 14695981039346656037UL;
        foreach (var c in stream)
            hash = (hash ^ c) * 1099511628211UL;
        return new SimulationRandom(hash ^ (ulong)(uint)seed);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Normal with mean 0 and standard deviation <paramref name="sigma"/> (Box–Muller).</summary>
    public double Gaussian(double sigma)
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
