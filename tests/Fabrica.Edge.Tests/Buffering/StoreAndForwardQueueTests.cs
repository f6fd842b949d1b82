using Fabrica.Edge.Buffering;
using Fabrica.Edge.Pipeline;
using Fabrica.Edge.Tests.Infrastructure;

namespace Fabrica.Edge.Tests.Buffering;

public sealed class StoreAndForwardQueueTests : IDisposable
{
    private const long Max = 1024 * 1024;
    private const long Segment = 64 * 1024;
    private readonly TempDirectory _dir = new();

    private StoreAndForwardQueue Open(long max = Max, long segment = Segment) => StoreAndForwardQueue.Open(_dir.Path, max, segment);

    private static List<(long Seq, SampleBatch Batch)> ReadAll(StoreAndForwardQueue queue)
    {
        using var reader = queue.OpenReader();
        var records = new List<(long, SampleBatch)>();
        while (reader.TryRead(out var seq, out var batch))
            records.Add((seq, batch));
        return records;
    }

    [Fact]
    public void Committed_records_survive_reopen_with_every_sample_intact()
    {
        using (var queue = Open())
        {
            queue.Append(Samples.Counter("press-7", 0, 3));
            queue.Append(new SampleBatch("press-7", [
                new TagSample("state", new Sample(1_764_480_000_500, "RUN")),
                new TagSample("running", new Sample(1_764_480_000_500, true, Quality.Uncertain)),
                new TagSample("temp", new Sample(1_764_480_000_500, 71.25, Quality.Bad)),
            ]));
            queue.Commit();
        }
        using var reopened = Open();
        Assert.True(reopened.Recovery.Clean);
        Assert.Equal(2, reopened.Recovery.PendingRecords);
        var records = ReadAll(reopened);
        Assert.Equal([1L, 2L], records.Select(r => r.Seq));
        Assert.Equal(Samples.Counter("press-7", 0, 3).Samples, records[0].Batch.Samples);
        Assert.Equal("RUN", records[1].Batch.Samples[0].Sample.Value.AsString());
        Assert.Equal(new Sample(1_764_480_000_500, true, Quality.Uncertain), records[1].Batch.Samples[1].Sample);
        Assert.Equal(new Sample(1_764_480_000_500, 71.25, Quality.Bad), records[1].Batch.Samples[2].Sample);
    }

    [Fact]
    public void Acknowledged_records_are_not_read_again_after_reopen()
    {
        using (var queue = Open())
        {
            for (var i = 0; i < 5; i++)
                queue.Append(Samples.Counter("d", i * 10, 10));
            queue.Commit();
            queue.Acknowledge(1);
            queue.Acknowledge(2);
            queue.Commit(); // saves the head
        }
        using var reopened = Open();
        Assert.Equal([3L, 4L, 5L], ReadAll(reopened).Select(r => r.Seq));
        Assert.Equal(6, reopened.NextSeq);
    }

    [Fact]
    public void Torn_tail_is_truncated_and_the_committed_records_before_it_are_kept()
    {
        string segmentPath;
        using (var queue = Open())
        {
            queue.Append(Samples.Counter("d", 0, 5));
            queue.Append(Samples.Counter("d", 5, 5));
            queue.Commit();
            segmentPath = Directory.GetFiles(_dir.Path, "*.seg").Single();
        }
        // A crash in the middle of the third record: its header and half its payload reached the disk.
        var third = File.ReadAllBytes(segmentPath)[QueueFormat.SegmentHeaderBytes..];
        using (var file = new FileStream(segmentPath, FileMode.Append))
            file.Write(third.AsSpan(0, third.Length / 4));
        var tornLength = new FileInfo(segmentPath).Length;

        using var reopened = Open();
        Assert.Contains(reopened.Recovery.Repairs, r => r.Contains("torn tail", StringComparison.Ordinal));
        Assert.True(new FileInfo(segmentPath).Length < tornLength);
        Assert.Equal([1L, 2L], ReadAll(reopened).Select(r => r.Seq));
        Assert.Equal(3, reopened.NextSeq);
    }

    [Fact]
    public void Flipped_byte_in_the_last_record_cuts_only_that_record()
    {
        string segmentPath;
        using (var queue = Open())
        {
            queue.Append(Samples.Counter("d", 0, 5));
            queue.Append(Samples.Counter("d", 5, 5));
            queue.Commit();
            segmentPath = Directory.GetFiles(_dir.Path, "*.seg").Single();
        }
        var bytes = File.ReadAllBytes(segmentPath);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(segmentPath, bytes);

        using var reopened = Open();
        Assert.False(reopened.Recovery.Clean);
        Assert.Equal([1L], ReadAll(reopened).Select(r => r.Seq));
    }

    [Fact]
    public void Full_buffer_drops_the_oldest_segment_and_counts_what_was_lost()
    {
        using var queue = Open(max: 256 * 1024, segment: 64 * 1024);
        long droppedRecords = 0, droppedSamples = 0;
        queue.Dropped += (records, samples) => { droppedRecords += records; droppedSamples += samples; };
        var seqs = new List<long>();
        for (var i = 0; i < 400; i++)
        {
            seqs.Add(queue.Append(Samples.Counter("d", i * 100, 100)));
            queue.Commit();
        }
        var stats = queue.Stats;
        Assert.True(stats.Bytes <= 256 * 1024, $"{stats.Bytes} bytes on disk");
        Assert.True(droppedRecords > 0);
        Assert.Equal(droppedRecords * 100, droppedSamples);
        Assert.Equal(stats.DroppedRecords, droppedRecords);
        var remaining = ReadAll(queue).Select(r => r.Seq).ToList();
        // What is left is the newest records, contiguous, ending with the last one written.
        Assert.Equal(400 - droppedRecords, remaining.Count);
        Assert.Equal(Enumerable.Range((int)(droppedRecords + 1), remaining.Count).Select(i => (long)i), remaining);
        Assert.Equal(400, remaining[^1]);
    }

    [Fact]
    public void Dropped_counts_survive_a_restart()
    {
        using (var queue = Open(max: 256 * 1024, segment: 64 * 1024))
        {
            for (var i = 0; i < 400; i++)
            {
                queue.Append(Samples.Counter("d", i * 100, 100));
                queue.Commit();
            }
            Assert.True(queue.Stats.DroppedRecords > 0);
        }
        using var reopened = Open(max: 256 * 1024, segment: 64 * 1024);
        Assert.True(reopened.Stats.DroppedRecords > 0);
    }

    [Fact]
    public void Drain_is_in_order_and_only_acknowledged_records_are_removed()
    {
        using var queue = Open();
        for (var i = 0; i < 100; i++)
            queue.Append(Samples.Counter("d", i * 10, 10));
        queue.Commit();

        var sent = new List<long>();
        using (var reader = queue.OpenReader())
        {
            for (var i = 0; i < 60; i++)
            {
                Assert.True(reader.TryRead(out var seq, out var batch));
                Assert.Equal((seq - 1) * 10, Samples.FirstValue(batch));
                sent.Add(seq);
                if (i < 50)
                    queue.Acknowledge(seq); // PUBACK
                else
                    queue.Release(seq); // the link broke before these were acknowledged
            }
        }
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), sent);
        Assert.Equal(51, queue.Head);
        // A new session (new reader) resends exactly the unacknowledged ones, in order.
        Assert.Equal(Enumerable.Range(51, 50).Select(i => (long)i), ReadAll(queue).Select(r => r.Seq));
    }

    [Fact]
    public void A_record_claimed_by_the_live_path_is_not_read_by_the_backfill()
    {
        using var queue = Open();
        var a = queue.Append(Samples.Counter("d", 0, 1));
        var b = queue.Append(Samples.Counter("d", 1, 1));
        var c = queue.Append(Samples.Counter("d", 2, 1));
        queue.Commit();
        Assert.True(queue.TryClaim(b));
        Assert.False(queue.TryClaim(b));
        Assert.Equal([a, c], ReadAll(queue).Select(r => r.Seq));
        // Acknowledged out of order: the head waits for the first one.
        queue.Acknowledge(b);
        Assert.Equal(a, queue.Head);
        queue.Acknowledge(a);
        Assert.Equal(c, queue.Head);
    }

    [Fact]
    public void Uncommitted_records_are_invisible_to_readers()
    {
        using var queue = Open();
        queue.Append(Samples.Counter("d", 0, 1));
        Assert.Empty(ReadAll(queue));
        Assert.False(queue.TryClaim(1));
        queue.Commit();
        Assert.Single(ReadAll(queue));
    }

    [Fact]
    public void Fully_acknowledged_segments_are_deleted_from_disk()
    {
        using var queue = Open(segment: 64 * 1024);
        for (var i = 0; i < 200; i++)
            queue.Append(Samples.Counter("d", i * 100, 100));
        queue.Commit();
        var before = Directory.GetFiles(_dir.Path, "*.seg").Length;
        Assert.True(before > 2);
        foreach (var (seq, _) in ReadAll(queue))
            queue.Acknowledge(seq);
        queue.Commit();
        Assert.Single(Directory.GetFiles(_dir.Path, "*.seg"));
        Assert.Equal(0, queue.Stats.PendingRecords);
    }

    [Fact]
    public void A_reader_continues_after_new_commits_and_across_segments()
    {
        using var queue = Open(segment: 64 * 1024);
        using var reader = queue.OpenReader();
        var read = new List<long>();
        for (var round = 0; round < 20; round++)
        {
            for (var i = 0; i < 10; i++)
                queue.Append(Samples.Counter("d", (round * 10 + i) * 100, 100));
            queue.Commit();
            while (reader.TryRead(out var seq, out _))
            {
                read.Add(seq);
                queue.Acknowledge(seq);
            }
        }
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), read);
    }

    public void Dispose() => _dir.Dispose();
}
