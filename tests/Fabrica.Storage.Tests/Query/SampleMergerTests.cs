using CsCheck;
using Fabrica.Storage.Chunks;
using Fabrica.Storage.Query;

namespace Fabrica.Storage.Tests.Query;

public sealed class SampleMergerTests
{
    [Fact]
    public void Overlapping_runs_merge_in_order_and_the_larger_sequence_wins_equal_timestamps()
    {
        var old = SampleSource.FromEncoded(ChunkCodec.Encode([new Sample(1, 1.0), new Sample(3, 1.0), new Sample(5, 1.0)]), 1, 1, 5);
        var newer = SampleSource.FromSamples([new Sample(3, 2.0), new Sample(4, 2.0)], 2);
        var separate = SampleSource.FromSamples([new Sample(10, 3.0)], 0);
        var output = new List<Sample>();
        var sink = new RawSink(output, 100);
        SampleMerger.Merge([separate, newer, old], long.MinValue, long.MaxValue, ref sink);
        Assert.Equal(new[] { (1L, 1.0), (3, 2.0), (4, 2.0), (5, 1.0), (10, 3.0) }, output.Select(s => (s.Timestamp, s.Value.AsDouble())));
    }

    [Fact]
    public void Merging_random_runs_equals_applying_them_in_sequence_order()
    {
        var genRun = Gen.Int[0, 60].HashSet[1, 20].Select(set => set.Order().ToArray());
        Gen.Select(genRun.Array[1, 6], Gen.Int[0, 60], Gen.Int[0, 60]).Sample((runs, a, b) =>
        {
            var (from, to) = (Math.Min(a, b), Math.Max(a, b) + 1);
            var sources = new List<SampleSource>();
            var model = new SortedDictionary<long, double>();
            for (var r = 0; r < runs.Length; r++)
            {
                sources.Add(SampleSource.FromSamples(runs[r].Select(t => new Sample(t, (double)r)).ToArray(), r));
                foreach (var t in runs[r])
                    model[t] = r;
            }
            var output = new List<Sample>();
            var sink = new RawSink(output, int.MaxValue);
            SampleMerger.Merge(sources, from, to, ref sink);
            Assert.Equal(model.Where(p => p.Key >= from && p.Key < to).Select(p => (p.Key, p.Value)), output.Select(s => (s.Timestamp, s.Value.AsDouble())));
        }, iter: 300);
    }
}
