namespace Fabrica.Storage.Query;

/// <summary>Receives merged samples, oldest first; returning false stops the merge (a limit was reached).</summary>
internal interface ISampleSink
{
    bool Add(in Sample sample);
}

/// <summary>
/// Merges runs of one series into one timestamp-ordered stream with last-write-wins for equal timestamps.
/// Runs are grouped into clusters of overlapping time ranges; a cluster of one run (the usual case: in-order data
/// in consecutive chunks) is copied through, only overlapping runs pay for a k-way merge. Runs are decoded one
/// cluster at a time, so a long range never holds more than one cluster in memory.
/// </summary>
internal static class SampleMerger
{
    public static void Merge<TSink>(List<SampleSource> sources, long from, long to, ref TSink sink)
        where TSink : struct, ISampleSink
    {
        sources.Sort(static (a, b) => a.MinTimestamp != b.MinTimestamp ? a.MinTimestamp.CompareTo(b.MinTimestamp) : a.Seq.CompareTo(b.Seq));
        var scratch = new List<Sample>(256);
        List<Sample>[]? runs = null;
        var i = 0;
        while (i < sources.Count)
        {
            var end = i + 1;
            var clusterMax = sources[i].MaxTimestamp;
            while (end < sources.Count && sources[end].MinTimestamp <= clusterMax)
            {
                clusterMax = Math.Max(clusterMax, sources[end].MaxTimestamp);
                end++;
            }
            bool more;
            if (end == i + 1)
            {
                scratch.Clear();
                sources[i].Decode(scratch);
                more = Emit(scratch, from, to, ref sink);
            }
            else
            {
                more = MergeCluster(sources, i, end, from, to, ref runs, ref sink);
            }
            if (!more)
                return;
            i = end;
        }
    }

    private static bool Emit<TSink>(List<Sample> samples, long from, long to, ref TSink sink)
        where TSink : struct, ISampleSink
    {
        foreach (var sample in samples)
        {
            if (sample.Timestamp < from)
                continue;
            if (sample.Timestamp >= to)
                return true;
            if (!sink.Add(sample))
                return false;
        }
        return true;
    }

    private static bool MergeCluster<TSink>(List<SampleSource> sources, int start, int end, long from, long to, ref List<Sample>[]? runs, ref TSink sink)
        where TSink : struct, ISampleSink
    {
        var count = end - start;
        if (runs is null || runs.Length < count)
        {
            var grown = new List<Sample>[Math.Max(count, 4)];
            runs?.CopyTo(grown, 0);
            runs = grown;
        }
        Span<int> positions = count <= 64 ? stackalloc int[count] : new int[count];
        for (var r = 0; r < count; r++)
        {
            (runs[r] ??= new List<Sample>(256)).Clear();
            sources[start + r].Decode(runs[r]);
            positions[r] = LowerBound(runs[r], from);
        }
        while (true)
        {
            // The smallest next timestamp; of runs that share it, the one with the largest sequence wins.
            var best = -1;
            var bestTs = long.MaxValue;
            for (var r = 0; r < count; r++)
            {
                if (positions[r] >= runs[r].Count)
                    continue;
                var ts = runs[r][positions[r]].Timestamp;
                if (best < 0 || ts < bestTs || (ts == bestTs && sources[start + r].Seq > sources[start + best].Seq))
                {
                    best = r;
                    bestTs = ts;
                }
            }
            if (best < 0 || bestTs >= to)
                return true;
            if (!sink.Add(runs[best][positions[best]]))
                return false;
            for (var r = 0; r < count; r++)
            {
                if (positions[r] < runs[r].Count && runs[r][positions[r]].Timestamp == bestTs)
                    positions[r]++;
            }
        }
    }

    private static int LowerBound(List<Sample> samples, long timestamp)
    {
        int lo = 0, hi = samples.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (samples[mid].Timestamp < timestamp)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }
}

/// <summary>Collects raw samples up to a limit.</summary>
internal struct RawSink : ISampleSink
{
    public RawSink(List<Sample> output, int limit)
    {
        Output = output;
        Limit = limit;
    }

    public List<Sample> Output { get; }

    public int Limit { get; }

    public readonly bool Add(in Sample sample)
    {
        Output.Add(sample);
        return Output.Count < Limit;
    }
}
