using Fabrica.Storage.Wal;
using Microsoft.Extensions.Logging;

namespace Fabrica.Storage.Tests.Wal;

public sealed class WalRecoveryTests
{
    private static readonly SeriesSample[][] Batches = [WalSamples.EveryKind(), WalSamples.Batch(40, salt: 1), WalSamples.Batch(3, salt: 2)];

    /// <summary>Writes <see cref="Batches"/> into segment 1 and returns the file offsets where each record ends.</summary>
    private static async Task<long[]> WriteSegmentAsync(TempDirectory dir)
    {
        var ends = new List<long>();
        await using var log = OpenedLog.Open(dir.Path);
        foreach (var batch in Batches)
        {
            await log.Log.AppendAsync(batch);
            ends.Add(log.Log.SizeBytes);
        }
        return [.. ends];
    }

    [Fact]
    public async Task Replay_truncates_torn_tail_and_keeps_committed_records()
    {
        using var dir = new TempDirectory();
        var ends = await WriteSegmentAsync(dir);
        var original = await File.ReadAllBytesAsync(dir.Segment(1));
        var lastStart = ends[^2];

        for (var cut = lastStart + 1; cut < ends[^1]; cut++)
        {
            using var copy = new TempDirectory();
            await File.WriteAllBytesAsync(copy.Segment(1), original.AsSpan(0, (int)cut).ToArray());

            await using (var log = OpenedLog.Open(copy.Path))
            {
                Assert.Equal(Batches[..^1].SelectMany(b => b).ToArray(), log.Samples);
                var repair = Assert.Single(log.Report.Repairs);
                Assert.Contains($"offset {lastStart}", repair, StringComparison.Ordinal);
                var warning = Assert.Single(log.Logger.Entries, e => e.Level == LogLevel.Warning);
                Assert.Equal(1101, warning.Id.Id);
                Assert.Contains(copy.Segment(1), warning.Message, StringComparison.Ordinal);
                Assert.Equal(lastStart, new FileInfo(copy.Segment(1)).Length);
                await log.Log.AppendAsync(WalSamples.Batch(2, salt: 7));
            }

            await using var reopened = OpenedLog.Open(copy.Path);
            Assert.Empty(reopened.Report.Repairs);
            Assert.Equal([.. Batches[..^1].SelectMany(b => b), .. WalSamples.Batch(2, salt: 7)], reopened.Samples);
        }
    }

    [Fact]
    public async Task A_tear_inside_the_record_header_or_any_earlier_record_keeps_exactly_the_records_before_it()
    {
        using var dir = new TempDirectory();
        var ends = await WriteSegmentAsync(dir);
        var original = await File.ReadAllBytesAsync(dir.Segment(1));
        var starts = new[] { (long)WalFormat.SegmentHeaderBytes }.Concat(ends[..^1]).ToArray();
        var random = new Random(7);
        for (var record = 0; record < Batches.Length; record++)
        {
            var offsets = Enumerable.Range(1, WalFormat.RecordHeaderBytes + 2).Select(o => starts[record] + o)
                .Concat(Enumerable.Range(0, 5).Select(_ => random.NextInt64(starts[record] + 1, ends[record])));
            foreach (var cut in offsets.Where(c => c < ends[record]))
            {
                using var copy = new TempDirectory();
                await File.WriteAllBytesAsync(copy.Segment(1), original.AsSpan(0, (int)cut).ToArray());
                await using var log = OpenedLog.Open(copy.Path);
                Assert.Equal(Batches[..record].SelectMany(b => b).ToArray(), log.Samples);
                Assert.Single(log.Report.Repairs);
            }
        }
    }

    [Fact]
    public async Task Flipped_bytes_in_the_tail_are_truncated_and_reported()
    {
        using var dir = new TempDirectory();
        var ends = await WriteSegmentAsync(dir);
        var original = await File.ReadAllBytesAsync(dir.Segment(1));
        for (var offset = ends[^2]; offset < ends[^1]; offset += 3)
        {
            using var copy = new TempDirectory();
            var damaged = original.ToArray();
            damaged[offset] ^= 0x40;
            await File.WriteAllBytesAsync(copy.Segment(1), damaged);
            await using (var log = OpenedLog.Open(copy.Path))
            {
                Assert.Equal(Batches[..^1].SelectMany(b => b).ToArray(), log.Samples);
                Assert.Single(log.Report.Repairs);
                await log.Log.AppendAsync(WalSamples.Batch(1, salt: 3));
            }
            await using var reopened = OpenedLog.Open(copy.Path);
            Assert.Empty(reopened.Report.Repairs);
            Assert.Equal([.. Batches[..^1].SelectMany(b => b), .. WalSamples.Batch(1, salt: 3)], reopened.Samples);
        }
    }

    [Fact]
    public async Task A_preallocated_zero_tail_after_a_crash_is_the_end_of_the_log_not_damage()
    {
        using var dir = new TempDirectory();
        var ends = await WriteSegmentAsync(dir);
        await using (var stream = new FileStream(dir.Segment(1), FileMode.Open))
            stream.SetLength(ends[^1] + 100_000); // as if the process died before closing the segment
        Assert.All(WriteAheadLog.Check(dir.Path), c => Assert.True(c.Ok, c.Problem));
        await using var log = OpenedLog.Open(dir.Path);
        Assert.Empty(log.Report.Repairs);
        Assert.Equal(Batches.SelectMany(b => b).ToArray(), log.Samples);
    }

    [Fact]
    public async Task Garbage_after_a_zero_gap_is_a_torn_write()
    {
        using var dir = new TempDirectory();
        var ends = await WriteSegmentAsync(dir);
        var original = await File.ReadAllBytesAsync(dir.Segment(1));
        var torn = new byte[ends[^1] + 4096];
        original.AsSpan(0, (int)ends[^1]).CopyTo(torn);
        torn[^10] = 0x5A; // a later sector of an unfinished write landed, the first did not
        await File.WriteAllBytesAsync(dir.Segment(1), torn);
        await using var log = OpenedLog.Open(dir.Path);
        Assert.Equal(Batches.SelectMany(b => b).ToArray(), log.Samples);
        Assert.Contains("torn", Assert.Single(log.Report.Repairs), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Damage_in_an_older_segment_is_reported_and_later_segments_still_replay()
    {
        using var dir = new TempDirectory();
        await using (var log = OpenedLog.Open(dir.Path))
        {
            await log.Log.AppendAsync(WalSamples.Batch(10));
            await log.Log.AppendAsync(WalSamples.Batch(10, salt: 1));
            await log.Log.RotateSegmentAsync();
            await log.Log.AppendAsync(WalSamples.Batch(10, salt: 2));
        }
        var first = await File.ReadAllBytesAsync(dir.Segment(1));
        first[first.Length - 20] ^= 0xFF; // inside the second record of segment 1
        await File.WriteAllBytesAsync(dir.Segment(1), first);

        await using var reopened = OpenedLog.Open(dir.Path);
        Assert.Equal([.. WalSamples.Batch(10), .. WalSamples.Batch(10, salt: 2)], reopened.Samples);
        var repair = Assert.Single(reopened.Report.Repairs);
        Assert.Contains(dir.Segment(1), repair, StringComparison.Ordinal);
        Assert.Contains("checksum mismatch", repair, StringComparison.Ordinal);
        Assert.Equal(first.Length, new FileInfo(dir.Segment(1)).Length); // older segments are reported, not rewritten
        Assert.Contains(reopened.Logger.Entries, e => e.Id.Id == 1102 && e.Level == LogLevel.Warning);

        var checks = WriteAheadLog.Check(dir.Path);
        Assert.False(checks[0].Ok);
        Assert.Contains("offset", checks[0].Problem, StringComparison.Ordinal);
        Assert.All(checks.Skip(1), c => Assert.True(c.Ok, c.Problem));
    }

    [Theory]
    [InlineData(0, "bad magic")]
    [InlineData(4, "unsupported format version")]
    [InlineData(8, "header")]
    public async Task A_segment_with_a_foreign_header_is_reported_clearly_and_left_untouched(int offset, string expected)
    {
        using var dir = new TempDirectory();
        await using (var log = OpenedLog.Open(dir.Path))
        {
            await log.Log.AppendAsync(WalSamples.Batch(10));
            await log.Log.RotateSegmentAsync();
            await log.Log.AppendAsync(WalSamples.Batch(10, salt: 1));
        }
        var bytes = await File.ReadAllBytesAsync(dir.Segment(1));
        bytes[offset] ^= 0x02;
        await File.WriteAllBytesAsync(dir.Segment(1), bytes);

        await using (var reopened = OpenedLog.Open(dir.Path))
        {
            Assert.Equal(WalSamples.Batch(10, salt: 1), reopened.Samples);
            Assert.Contains(expected, Assert.Single(reopened.Report.Repairs), StringComparison.Ordinal);
            reopened.Log.DeleteSegmentsBefore(reopened.Log.CurrentSegment);
            Assert.True(File.Exists(dir.Segment(1))); // maybe a newer format: never deleted unread
        }
        Assert.Equal(bytes, await File.ReadAllBytesAsync(dir.Segment(1)));
        Assert.Contains(expected, WriteAheadLog.Check(dir.Path)[0].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_last_segment_without_a_complete_header_is_removed_as_a_crash_during_creation()
    {
        using var dir = new TempDirectory();
        await using (var log = OpenedLog.Open(dir.Path))
            await log.Log.AppendAsync(WalSamples.Batch(10));
        await File.WriteAllBytesAsync(dir.Segment(2), new byte[4096]);

        await using var reopened = OpenedLog.Open(dir.Path);
        Assert.Equal(WalSamples.Batch(10), reopened.Samples);
        Assert.Contains("incomplete segment header", Assert.Single(reopened.Report.Repairs), StringComparison.Ordinal);
        Assert.Equal(2, reopened.Log.CurrentSegment);
    }

    [Fact]
    public void Check_of_a_missing_directory_finds_nothing()
    {
        Assert.Empty(WriteAheadLog.Check(Path.Combine(Path.GetTempPath(), "fabrica-missing-" + Guid.NewGuid().ToString("N"))));
    }
}
