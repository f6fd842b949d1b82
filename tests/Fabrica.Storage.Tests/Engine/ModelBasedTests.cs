using CsCheck;
using static Fabrica.Storage.Tests.Engine.EngineTestContext;

namespace Fabrica.Storage.Tests.Engine;

/// <summary>
/// The engine against the simplest possible model — a dictionary (series, timestamp) → last written value — under
/// random writes (out of order, duplicates, kind changes), flushes, compactions and reopens.
/// </summary>
public sealed class ModelBasedTests
{
    private abstract record Op;

    private sealed record WriteOp((int Series, int Offset, int Value, bool Text)[] Samples) : Op
    {
        public override string ToString() => "W[" + string.Join(" ", Samples.Select(s => $"{s.Series}@{s.Offset}={(s.Text ? "s" : "")}{s.Value}")) + "]";
    }

    private sealed record FlushOp : Op;

    private sealed record CompactOp : Op;

    private sealed record ReopenOp : Op;

    private static readonly Gen<Op> GenWrite =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 400], Gen.Int[-50, 50], Gen.Int[0, 9], (s, t, v, k) => (s, t, v, k == 0))
            .Array[1, 30].Select(a => (Op)new WriteOp(a));

    private static readonly Gen<Op> GenOp = Gen.Int[0, 9].SelectMany(k => k switch
    {
        < 6 => GenWrite,
        < 8 => Gen.Const<Op>(new FlushOp()),
        8 => Gen.Const<Op>(new CompactOp()),
        _ => Gen.Const<Op>(new ReopenOp()),
    });

    private static SeriesKey Key(int series) => new("dev", $"tag{series}");

    private static SampleValue Value(int value, bool text) => text ? SampleValue.FromString($"s{value}") : SampleValue.FromDouble(value * 0.5);

    [Fact]
    public async Task The_engine_behaves_like_a_last_write_wins_dictionary()
    {
        await GenOp.Array[1, 25].SampleAsync(async ops =>
        {
            await using var context = new EngineTestContext(o => o with { ChunkSamples = 4 });
            var engine = await context.OpenAsync();
            var model = new Dictionary<(int Series, long Timestamp), SampleValue>();
            foreach (var op in ops)
            {
                switch (op)
                {
                    case WriteOp write:
                        var batch = write.Samples.Select(s => new SeriesSample(Key(s.Series), new Sample(T0 + s.Offset * 1000L, Value(s.Value, s.Text)))).ToArray();
                        await engine.WriteAsync(batch);
                        foreach (var s in write.Samples)
                            model[(s.Series, T0 + s.Offset * 1000L)] = Value(s.Value, s.Text);
                        break;
                    case FlushOp:
                        await engine.FlushAsync();
                        break;
                    case CompactOp:
                        await engine.CompactAsync();
                        break;
                    case ReopenOp:
                        engine = await context.ReopenAsync();
                        break;
                }
                Verify(engine, model);
            }
        }, iter: 40, threads: 1, print: ops => string.Join(", ", ops.Select(o => o.ToString())));
    }

    private static void Verify(TimeSeriesEngine engine, Dictionary<(int Series, long Timestamp), SampleValue> model)
    {
        for (var series = 0; series < 3; series++)
        {
            var expected = model.Where(p => p.Key.Series == series).OrderBy(p => p.Key.Timestamp).Select(p => new Sample(p.Key.Timestamp, p.Value)).ToList();
            var actual = engine.ReadRaw(Key(series), long.MinValue, long.MaxValue, int.MaxValue);
            Assert.Equal(expected, actual);
            Assert.Equal(expected.Count == 0 ? null : expected[^1], engine.ReadLatest(Key(series)));

            var rollup = engine.ReadAggregates(Key(series), T0, T0 + 401_000, TimeSpan.FromMinutes(1), 100).Buckets;
            var raw = engine.ReadAggregates(Key(series), T0, T0 + 401_000, TimeSpan.FromMinutes(1), 100, allowRollups: false).Buckets;
            Assert.Equal(raw.Count, rollup.Count);
            for (var i = 0; i < raw.Count; i++)
            {
                Assert.Equal(raw[i] with { Sum = 0 }, rollup[i] with { Sum = 0 });
                Assert.Equal(raw[i].Sum, rollup[i].Sum, 1e-9);
            }
            var counts = expected.GroupBy(s => (s.Timestamp - T0) / 60_000).Select(g => (long)g.Count()).ToList();
            Assert.Equal(counts, raw.Select(b => b.Count));
        }
    }
}
