using Fabrica.Storage.Wal;

namespace Fabrica.Storage.Tests.Wal;

public sealed class WriteAheadLogTests
{
    [Fact]
    public async Task Appended_batches_of_every_kind_replay_in_order_after_reopen()
    {
        using var dir = new TempDirectory();
        var batches = new[] { WalSamples.EveryKind(), WalSamples.Batch(1000), WalSamples.EveryKind(5), WalSamples.Batch(1, salt: 9) };
        await using (var first = OpenedLog.Open(dir.Path))
        {
            Assert.Empty(first.Records);
            Assert.Empty(first.Report.Repairs);
            foreach (var batch in batches)
                await first.Log.AppendAsync(batch);
        }

        await using var second = OpenedLog.Open(dir.Path);
        Assert.Equal(batches.Length, second.Report.Records);
        Assert.Equal(batches.Sum(b => b.Length), second.Report.Samples);
        Assert.Equal(batches.SelectMany(b => b).ToArray(), second.Samples);
        Assert.Empty(second.Report.Repairs);
        Assert.Equal([1L], second.Report.Segments);
    }

    [Fact]
    public async Task Reopen_appends_to_a_new_segment_and_keeps_every_earlier_record()
    {
        using var dir = new TempDirectory();
        await using (var log = OpenedLog.Open(dir.Path))
        {
            Assert.Equal(1, log.Log.CurrentSegment);
            await log.Log.AppendAsync(WalSamples.Batch(10));
        }
        await using (var log = OpenedLog.Open(dir.Path))
        {
            Assert.Equal(2, log.Log.CurrentSegment);
            await log.Log.AppendAsync(WalSamples.Batch(10, salt: 1));
        }
        await using var last = OpenedLog.Open(dir.Path);
        Assert.Equal(3, last.Log.CurrentSegment);
        Assert.Equal([1L, 2L], last.Report.Segments);
        Assert.Equal([.. WalSamples.Batch(10), .. WalSamples.Batch(10, salt: 1)], last.Samples);
    }

    [Fact]
    public async Task Rotation_starts_a_new_segment_and_deleting_older_segments_keeps_later_records()
    {
        using var dir = new TempDirectory();
        await using (var log = OpenedLog.Open(dir.Path))
        {
            await log.Log.AppendAsync(WalSamples.Batch(100));
            var second = await log.Log.RotateSegmentAsync();
            Assert.Equal(2, second);
            Assert.Equal(2, log.Log.CurrentSegment);
            await log.Log.AppendAsync(WalSamples.Batch(100, salt: 1));
            Assert.Equal(3, await log.Log.RotateSegmentAsync());
            await log.Log.AppendAsync(WalSamples.Batch(100, salt: 2));

            var before = log.Log.SizeBytes;
            log.Log.DeleteSegmentsBefore(3);
            Assert.False(File.Exists(dir.Segment(1)));
            Assert.False(File.Exists(dir.Segment(2)));
            Assert.True(log.Log.SizeBytes < before);

            log.Log.DeleteSegmentsBefore(long.MaxValue); // never the current segment
            Assert.True(File.Exists(dir.Segment(3)));
        }
        await using var reopened = OpenedLog.Open(dir.Path);
        Assert.Equal([3L], reopened.Report.Segments);
        Assert.Equal(WalSamples.Batch(100, salt: 2), reopened.Samples);
    }

    [Fact]
    public async Task A_segment_past_its_size_limit_is_rotated_automatically()
    {
        using var dir = new TempDirectory();
        var options = WalSamples.Options with { SegmentBytes = 64 * 1024 };
        var batches = Enumerable.Range(0, 40).Select(i => WalSamples.Batch(500, salt: i)).ToArray();
        await using (var log = OpenedLog.Open(dir.Path, options))
        {
            foreach (var batch in batches)
                await log.Log.AppendAsync(batch);
            Assert.True(log.Log.CurrentSegment >= 3, $"segment {log.Log.CurrentSegment}");
        }
        foreach (var file in Directory.GetFiles(dir.Path))
            Assert.True(new FileInfo(file).Length <= 64 * 1024, $"{file}: {new FileInfo(file).Length} bytes");
        await using var reopened = OpenedLog.Open(dir.Path, options);
        Assert.Equal(batches.SelectMany(b => b).ToArray(), reopened.Samples);
        Assert.Empty(reopened.Report.Repairs);
    }

    [Fact]
    public async Task Concurrent_appenders_all_complete_and_every_record_replays()
    {
        using var dir = new TempDirectory();
        const int Appenders = 8, BatchesEach = 50, BatchSize = 200;
        await using (var log = OpenedLog.Open(dir.Path, WalSamples.Options with { MaxPendingAppends = 4 }))
        {
            await Task.WhenAll(Enumerable.Range(0, Appenders).Select(a => Task.Run(async () =>
            {
                for (var b = 0; b < BatchesEach; b++)
                    await log.Log.AppendAsync(WalSamples.Batch(BatchSize, start: a * 1_000_000_000L + b * 10_000L, salt: a));
            })));
        }
        await using var reopened = OpenedLog.Open(dir.Path);
        Assert.Equal(Appenders * BatchesEach, reopened.Report.Records);
        Assert.Equal(Appenders * BatchesEach * BatchSize, reopened.Report.Samples);
        // Each appender's batches replay in the order it appended them.
        foreach (var appender in reopened.Records.GroupBy(r => r[0].Sample.Timestamp / 1_000_000_000L))
        {
            var starts = appender.Select(r => r[0].Sample.Timestamp).ToArray();
            Assert.Equal(BatchesEach, starts.Length);
            Assert.Equal(starts.Order(), starts);
        }
    }

    [Fact]
    public async Task A_group_commit_window_still_completes_every_append()
    {
        using var dir = new TempDirectory();
        await using var log = OpenedLog.Open(dir.Path, WalSamples.Options with { GroupCommitWindow = TimeSpan.FromMilliseconds(2) });
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => log.Log.AppendAsync(WalSamples.Batch(10, salt: i)).AsTask()));
        Assert.True(log.Log.SizeBytes > WalFormat.SegmentHeaderBytes);
    }

    [Fact]
    public async Task An_append_cancelled_before_it_is_taken_is_not_written()
    {
        using var dir = new TempDirectory();
        await using (var log = OpenedLog.Open(dir.Path))
        {
            using var cancelled = new CancellationTokenSource();
            await cancelled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => log.Log.AppendAsync(WalSamples.Batch(5), cancelled.Token).AsTask());
            await log.Log.AppendAsync(WalSamples.Batch(5, salt: 1));
        }
        await using var reopened = OpenedLog.Open(dir.Path);
        Assert.Equal(WalSamples.Batch(5, salt: 1), reopened.Samples);
    }

    [Fact]
    public async Task Invalid_samples_are_refused_before_they_reach_the_log()
    {
        using var dir = new TempDirectory();
        await using var log = OpenedLog.Open(dir.Path);
        Assert.Throws<ArgumentException>(() => { _ = log.Log.AppendAsync(new SeriesSample[] { default }); });
        await log.Log.AppendAsync(ReadOnlyMemory<SeriesSample>.Empty);
        await log.Log.AppendAsync(WalSamples.Batch(1));
    }

    [Fact]
    public async Task A_failed_fsync_fails_the_waiting_appends_with_an_IOException_and_the_log_stays_consistent()
    {
        using var dir = new TempDirectory();
        var failNext = new StrongBox<bool>();
        var options = WalSamples.Options with { FileFactory = path => new FlakyFile(new DiskWalFile(path), failNext) };
        await using (var log = OpenedLog.Open(dir.Path, options))
        {
            await log.Log.AppendAsync(WalSamples.Batch(10));
            failNext.Value = true;
            var error = await Assert.ThrowsAsync<IOException>(() => log.Log.AppendAsync(WalSamples.Batch(10, salt: 1)).AsTask());
            Assert.Contains("not written", error.Message, StringComparison.Ordinal);
            Assert.Contains(log.Logger.Entries, e => e.Id.Id == 1106);
            await log.Log.AppendAsync(WalSamples.Batch(10, salt: 2));
        }
        await using var reopened = OpenedLog.Open(dir.Path);
        Assert.Empty(reopened.Report.Repairs);
        Assert.Equal([.. WalSamples.Batch(10), .. WalSamples.Batch(10, salt: 2)], reopened.Samples);
    }

    [Fact]
    public async Task Appends_after_dispose_are_refused()
    {
        using var dir = new TempDirectory();
        var log = OpenedLog.Open(dir.Path);
        await log.DisposeAsync();
        await log.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => { _ = log.Log.AppendAsync(WalSamples.Batch(1)); });
    }

    [Fact]
    public async Task Closed_segments_carry_no_preallocated_zero_tail()
    {
        using var dir = new TempDirectory();
        long size;
        await using (var log = OpenedLog.Open(dir.Path))
        {
            await log.Log.AppendAsync(WalSamples.Batch(10));
            size = log.Log.SizeBytes;
            Assert.Equal(WalFormat.SegmentHeaderBytes + WalSamples.Options.PreallocationChunkBytes - WalFormat.SegmentHeaderBytes, new FileInfo(dir.Segment(1)).Length);
        }
        Assert.Equal(size, new FileInfo(dir.Segment(1)).Length);
        Assert.All(WriteAheadLog.Check(dir.Path), c => Assert.True(c.Ok, c.Problem));
    }

    private sealed class StrongBox<T>
    {
        public T? Value { get; set; }
    }

    /// <summary>A disk that refuses one fsync on request, which a real disk cannot be asked to do.</summary>
    private sealed class FlakyFile(IWalFile inner, StrongBox<bool> failNext) : IWalFile
    {
        public void Write(ReadOnlySpan<byte> data, long offset) => inner.Write(data, offset);

        public void Flush()
        {
            if (failNext.Value)
            {
                failNext.Value = false;
                throw new IOException("Input/output error (simulated EIO from fsync)");
            }
            inner.Flush();
        }

        public void SetLength(long length) => inner.SetLength(length);

        public void Dispose() => inner.Dispose();
    }
}
