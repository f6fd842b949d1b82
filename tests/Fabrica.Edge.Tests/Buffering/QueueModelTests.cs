using CsCheck;
using Fabrica.Edge.Buffering;
using Fabrica.Edge.Tests.Infrastructure;

namespace Fabrica.Edge.Tests.Buffering;

/// <summary>
/// The queue against a model of what it promises: a FIFO of records where a reader sees the committed, unacknowledged
/// ones in order; a restart keeps everything written and forgets acknowledgements made after the last commit
/// (at-least-once), and only contiguous acknowledgements from the head are remembered.
/// </summary>
public sealed class QueueModelTests
{
    private enum Op
    {
        Append,
        Commit,
        Drain,
        Restart,
    }

    private static readonly Gen<(Op Op, int N, bool Ack)> Operation = Gen.Select(
        Gen.Int[0, 9].Select(i => i switch { <= 3 => Op.Append, <= 5 => Op.Commit, <= 8 => Op.Drain, _ => Op.Restart }),
        Gen.Int[1, 12],
        Gen.Bool);

    [Fact]
    public void Queue_behaves_like_its_model_across_appends_commits_drains_and_restarts()
    {
        Operation.Array[1, 50].Sample(ops =>
        {
            using var dir = new TempDirectory();
            var queue = StoreAndForwardQueue.Open(dir.Path, 64L * 1024 * 1024, 64 * 1024);
            try
            {
                var appended = 0L;       // records 1..appended exist
                var committed = 0L;      // 1..committed are visible
                var acked = new SortedSet<long>();
                var savedHead = 1L;
                long Head(SortedSet<long> set)
                {
                    var h = 1L;
                    while (set.Contains(h))
                        h++;
                    return h;
                }

                foreach (var (op, n, ack) in ops)
                {
                    switch (op)
                    {
                        case Op.Append:
                            var seq = queue.Append(Samples.Counter("d", appended * 100, n));
                            Assert.Equal(++appended, seq);
                            break;
                        case Op.Commit:
                            queue.Commit();
                            committed = appended;
                            savedHead = Head(acked);
                            break;
                        case Op.Drain:
                            var expected = Enumerable.Range(1, (int)committed).Select(i => (long)i).Where(s => !acked.Contains(s)).Take(n).ToList();
                            using (var reader = queue.OpenReader())
                            {
                                var got = new List<long>();
                                var flip = ack;
                                while (got.Count < n && reader.TryRead(out var s, out var batch))
                                {
                                    Assert.Equal((s - 1) * 100, Samples.FirstValue(batch));
                                    got.Add(s);
                                    if (flip)
                                    {
                                        queue.Acknowledge(s);
                                        acked.Add(s);
                                    }
                                    else
                                    {
                                        queue.Release(s);
                                    }
                                    flip = !flip;
                                }
                                Assert.Equal(expected, got);
                            }
                            break;
                        case Op.Restart:
                            queue.Dispose();
                            queue = StoreAndForwardQueue.Open(dir.Path, 64L * 1024 * 1024, 64 * 1024);
                            // Written records survive a process restart; acknowledgements only up to the saved head.
                            committed = appended;
                            acked = new SortedSet<long>(Enumerable.Range(1, (int)(savedHead - 1)).Select(i => (long)i));
                            Assert.True(queue.Recovery.Clean);
                            break;
                    }
                    Assert.Equal(Head(acked), queue.Head);
                    Assert.Equal(appended - acked.Count, queue.Stats.PendingRecords);
                }
            }
            finally
            {
                queue.Dispose();
            }
        }, iter: 60);
    }
}
