using System.Text;
using CsCheck;

namespace Fabrica.Storage.Tests.Chunks;

/// <summary>CsCheck generators for realistic and adversarial series: timestamps, values and qualities.</summary>
internal static class SeriesGenerators
{
    public static readonly Gen<int> Count = Gen.Frequency(
        (6, Gen.Int[1, 300]),
        (2, Gen.Int[1, 3]),
        (1, Gen.Int[300, 3000]));

    /// <summary>Regular sampling at a common period, some with millisecond jitter or gaps.</summary>
    private static Gen<long[]> RegularTimestamps(int count) =>
        Gen.Select(Gen.Long[-4_000_000_000_000, 4_000_000_000_000], Gen.OneOf(Gen.Const(1L), Gen.Const(100L), Gen.Const(1000L), Gen.Const(60_000L)), Gen.Int[0, 3], Gen.Int[0, 4], Gen.Int)
            .Select((start, period, jitter, gaps, seed) =>
            {
                var random = new Random(seed);
                var result = new long[count];
                long t = start;
                for (int i = 0; i < count; i++)
                {
                    long step = period + (jitter == 0 ? 0 : random.Next(-jitter, jitter + 1));
                    if (gaps > 0 && random.Next(100) < gaps)
                    {
                        step += random.NextInt64(1, 10_000_000_000);
                    }

                    t = i == 0 ? t : t + Math.Max(1, step);
                    result[i] = t;
                }

                return result;
            });

    /// <summary>Strictly increasing values anywhere in the 64-bit range, long.MinValue and long.MaxValue included.</summary>
    private static Gen<long[]> ExtremeTimestamps(int count) =>
        Gen.Select(Gen.Long.Array[count], Gen.Bool, Gen.Bool).Select((raw, withMin, withMax) =>
        {
            var set = new SortedSet<long>(raw);
            if (withMin)
            {
                set.Add(long.MinValue);
            }

            if (withMax)
            {
                set.Add(long.MaxValue);
            }

            long next = long.MinValue + 1;
            while (set.Count < count)
            {
                set.Add(next++);
            }

            return set.Take(count).ToArray();
        });

    private static Gen<long[]> IrregularTimestamps(int count) =>
        Gen.Select(Gen.Long[-1_000_000_000_000, 1_000_000_000_000], Gen.Long[1, 5000].Array[count]).Select((start, steps) =>
        {
            var result = new long[count];
            result[0] = start;
            for (int i = 1; i < count; i++)
            {
                result[i] = result[i - 1] + steps[i];
            }

            return result;
        });

    public static Gen<long[]> Timestamps(int count) => Gen.Frequency(
        (4, RegularTimestamps(count)),
        (2, IrregularTimestamps(count)),
        (1, ExtremeTimestamps(count)));

    public static readonly Gen<double> SpecialDouble = Gen.OneOf(
        Gen.Const(double.NaN), Gen.Const(-0.0), Gen.Const(0.0), Gen.Const(double.PositiveInfinity),
        Gen.Const(double.NegativeInfinity), Gen.Const(double.Epsilon), Gen.Const(-double.Epsilon),
        Gen.Const(double.MaxValue), Gen.Const(double.MinValue), Gen.Const(9.2e18), Gen.Const(-9.3e18),
        Gen.ULong.Select(u => BitConverter.UInt64BitsToDouble(u | 0x7FF0_0000_0000_0001)),          // NaN payloads, both signs
        Gen.ULong.Select(u => BitConverter.UInt64BitsToDouble(u & 0x800F_FFFF_FFFF_FFFF)));         // subnormals

    public static Gen<double> DecimalDouble(int decimals) =>
        Gen.Double[-100_000, 100_000].Select(v => Math.Round(v, decimals));

    /// <summary>Whole series of doubles: decimals with 0..6 places, random bits, runs of equal values, specials mixed in.</summary>
    public static Gen<double[]> Doubles(int count) => Gen.Frequency(
        (3, Gen.Int[0, 6].SelectMany(d => Sprinkle(DecimalDouble(d).Array[count]))),
        (2, Gen.Int[0, 6].SelectMany(d => Gen.Select(Gen.Double[-50, 150], Gen.Double[0, 0.5], Gen.Int)
            .Select((level, noise, seed) => Smooth(count, level, noise, d, seed)))),
        (2, Gen.Long.Array[count].Select(bits => bits.Select(BitConverter.Int64BitsToDouble).ToArray())),
        (1, SpecialDouble.Array[count]),
        (1, Gen.Select(Gen.Double, Gen.Int[1, 4]).Select((v, distinct) => Enumerable.Range(0, count).Select(i => v + (i * distinct / count)).ToArray())));

    private static Gen<double[]> Sprinkle(Gen<double[]> series) =>
        Gen.Select(series, SpecialDouble.Array[0, 4], Gen.Int).Select((values, specials, seed) =>
        {
            var random = new Random(seed);
            foreach (double special in values.Length == 0 ? [] : specials)
            {
                values[random.Next(values.Length)] = special;
            }

            return values;
        });

    private static double[] Smooth(int count, double level, double noise, int decimals, int seed)
    {
        var random = new Random(seed);
        var result = new double[count];
        for (int i = 0; i < count; i++)
        {
            level += (random.NextDouble() - 0.5) * noise;
            result[i] = Math.Round(level, decimals);
        }

        return result;
    }

    public static Gen<long[]> Longs(int count) => Gen.Frequency(
        (2, Gen.Long.Array[count]),
        (1, Gen.OneOf(Gen.Const(long.MinValue), Gen.Const(long.MaxValue), Gen.Const(0L), Gen.Const(-1L), Gen.Const(1L)).Array[count]),
        (2, Gen.Select(Gen.Long, Gen.Long[0, 100].Array[count]).Select((start, steps) => Counter(start, steps))),
        (1, Gen.Long[-3, 3].Array[count]),
        (1, Gen.Long.Select(v => Enumerable.Repeat(v, count).ToArray())));

    private static long[] Counter(long start, long[] steps)
    {
        var result = new long[steps.Length];
        for (int i = 0; i < steps.Length; i++)
        {
            start = steps[i] == 100 ? 0 : unchecked(start + steps[i]); // occasional reset
            result[i] = start;
        }

        return result;
    }

    /// <summary>Well-formed strings: empty, ASCII, any plane of Unicode (no lone surrogates), and long ones.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (1, Gen.Const(string.Empty)),
        (3, Gen.OneOf(Gen.Const("RUNNING"), Gen.Const("STOPPED"), Gen.Const("E-STOP"), Gen.Const("Störung"), Gen.Const("運転中"))),
        (2, Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789 -_"].Array[0, 40].Select(c => new string(c))),
        (2, Gen.Int[0, 0x10FFFF].Where(c => c is < 0xD800 or > 0xDFFF).Array[0, 20].Select(ToText)),
        (1, Gen.Int[0, 0x10FFFF].Where(c => c is < 0xD800 or > 0xDFFF).Array[5000, 20000].Select(ToText)));

    private static string ToText(int[] codePoints)
    {
        var builder = new StringBuilder();
        foreach (int c in codePoints)
        {
            builder.Append(char.ConvertFromUtf32(c));
        }

        return builder.ToString();
    }

    public static Gen<string[]> Strings(int count) => Gen.Frequency(
        (2, Text.Array[count]),
        (3, Text.Array[1, 4].SelectMany(pool => Gen.Int[0, pool.Length - 1].Array[count].Select(ix => ix.Select(i => pool[i]).ToArray()))));

    public static Gen<Quality[]> Qualities(int count) => Gen.Frequency(
        (3, Gen.Const(new Quality[count])),
        (2, Gen.Byte[0, 2].Array[count].Select(q => q.Select(b => (Quality)b).ToArray())),
        (1, Gen.Byte.Array[count].Select(q => q.Select(b => (Quality)b).ToArray())));

    public static Gen<SampleValue[]> Values(ValueKind kind, int count) => kind switch
    {
        ValueKind.Double => Doubles(count).Select(v => v.Select(SampleValue.FromDouble).ToArray()),
        ValueKind.Long => Longs(count).Select(v => v.Select(SampleValue.FromLong).ToArray()),
        ValueKind.Bool => Gen.Frequency((1, Gen.Bool.Array[count]), (2, Gen.Bool.Select(b => Enumerable.Repeat(b, count).ToArray())))
            .Select(v => v.Select(SampleValue.FromBool).ToArray()),
        _ => Strings(count).Select(v => v.Select(SampleValue.FromString).ToArray()),
    };

    public static Gen<Sample[]> Series(ValueKind kind, Gen<int> count) =>
        count.SelectMany(n => Gen.Select(Timestamps(n), Values(kind, n), Qualities(n)))
            .Select((t, v, q) => t.Select((ts, i) => new Sample(ts, v[i], q[i])).ToArray());

    public static readonly Gen<ValueKind> Kind = Gen.OneOf(
        Gen.Const(ValueKind.Double), Gen.Const(ValueKind.Long), Gen.Const(ValueKind.Bool), Gen.Const(ValueKind.String));

    public static readonly Gen<Sample[]> AnySeries = Kind.SelectMany(k => Series(k, Count));
}
