using System.Globalization;
using System.Text.RegularExpressions;

namespace Fabrica.Interop.Tests.Edge;

/// <summary>
/// What the edges say they read and made durable, from their delivery trace (FABRICA_DELIVERY_TRACE=1, docs/edge.md):
/// the ground truth that tells "lost on the way" from "never read". On a 2-core machine at a load average of 35–40
/// the edge process was seen to run no code for 1.5 s: a counter value that lived through such a stall was never read,
/// and no buffer or platform could have kept it.
/// </summary>
public sealed partial class NoLossAcrossOutagesTests
{
    /// <summary>
    /// One buffer record an edge appended: its samples' count and time range, whether a commit (fsync) covered it, and
    /// whether the buffer's head passed it (every record before the head was acknowledged with a Success PUBACK).
    /// </summary>
    private sealed record EdgeRecord(string Edge, long Seq, int Samples, long FirstTs, long LastTs, bool Committed, bool Delivered);

    /// <summary>The records of every edge process, in the order they were appended.</summary>
    private static List<EdgeRecord> ParseEdgeTrace(IEnumerable<(string Name, string Output)> edges)
    {
        var records = new List<EdgeRecord>();
        long head = 0; // the buffer (and its sequence numbers) outlives the SIGKILL: one head for both processes
        foreach (var (_, output) in edges)
        {
            foreach (Match m in HeadLine().Matches(output))
                head = Math.Max(head, Long(m, 1));
        }
        foreach (var (name, output) in edges)
        {
            var appended = new List<(long Seq, int Samples, long First, long Last)>();
            long committedUpTo = 0;
            foreach (var line in output.Split('\n'))
            {
                if (AppendedLine().Match(line) is { Success: true } a)
                    appended.Add((Long(a, 1), (int)Long(a, 2), Long(a, 3), Long(a, 4)));
                else if (CommittedLine().Match(line) is { Success: true } c)
                    committedUpTo = Math.Max(committedUpTo, Long(c, 1));
            }
            // A line still queued in the console logger at the SIGKILL is lost with the process: a record whose
            // commit line is missing counts as not committed, so the check below covers less, never more.
            records.AddRange(appended.Select(r => new EdgeRecord(name, r.Seq, r.Samples, r.First, r.Last, r.Seq <= committedUpTo, r.Seq < head)));
        }
        return records;
    }

    private static long Long(Match match, int group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    /// <summary>True when no edge read anything strictly between the two times: a stall, not a loss.</summary>
    private static bool NothingReadBetween(List<EdgeRecord> records, long after, long before) =>
        !records.Any(r => r.FirstTs < before && r.LastTs > after && (r.FirstTs > after || r.LastTs < before || r.Samples > 2));

    /// <summary>
    /// Every record the platform acknowledged must be stored: its first and last sample at their timestamps, and as
    /// many samples in between as its distinct timestamps allow (two readings in the same millisecond, after a stall,
    /// are one point: the platform keeps a repeated timestamp once). A record committed at the edge's orderly stop,
    /// after the drain, stays buffered for its next start: that is not a loss, so the buffer's head decides.
    /// </summary>
    private static IEnumerable<string> DeliveredButNotStored(List<EdgeRecord> records, List<(long Ts, long Value)> ticks)
    {
        var stored = ticks.Select(t => t.Ts).ToArray();
        var missing = records.Where(r => r.Delivered)
            .Select(r => (Record: r, Count: CountBetween(stored, r.FirstTs, r.LastTs)))
            .Where(x => Array.BinarySearch(stored, x.Record.FirstTs) < 0 || Array.BinarySearch(stored, x.Record.LastTs) < 0
                || x.Count < Math.Min(x.Record.Samples, x.Record.FirstTs == x.Record.LastTs ? 1 : 2))
            .ToList();
        return missing.Count == 0 ? [] :
        [
            $"{missing.Count} records acknowledged by the platform are not (fully) stored there, e.g. "
            + string.Join("; ", missing.Take(8).Select(x => $"{x.Record.Edge} record {x.Record.Seq}: {x.Count} of {x.Record.Samples} samples of {x.Record.FirstTs}..{x.Record.LastTs}")),
        ];
    }

    private static int CountBetween(long[] sorted, long from, long to)
    {
        var start = Array.BinarySearch(sorted, from);
        if (start < 0)
            start = ~start;
        var count = 0;
        for (var i = start; i < sorted.Length && sorted[i] <= to; i++)
            count++;
        return count;
    }

    [GeneratedRegex(@"trace: appended record (\d+): (\d+) samples of pump-1, timestamps (\d+)\.\.(\d+)")]
    private static partial Regex AppendedLine();

    [GeneratedRegex(@"trace: record \d+ acknowledged; head (\d+)")]
    private static partial Regex HeadLine();

    [GeneratedRegex(@"trace: committed \(fsynced\) records \d+\.\.(\d+)")]
    private static partial Regex CommittedLine();
}
