using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace Fabrica.Identifiers.Store;

/// <summary>
/// How many resolutions a node answered per prefix and UTC day: the seed's "identifiers reflect industrial activity".
/// Counting is an in-memory increment on the hot path; <see cref="FlushAsync"/> adds the counts to SQLite (the host
/// calls it periodically and at stop), so a crash loses at most one flush interval of counts, never a record.
/// </summary>
public sealed class ResolutionStatistics
{
    private readonly HandleStore _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _flush = new(1, 1);
    private ConcurrentDictionary<(string Prefix, int Day), long> _pending = new();

    internal ResolutionStatistics(HandleStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public void Count(string prefix)
    {
        var day = (int)(_time.GetUtcNow().ToUnixTimeSeconds() / 86400);
        _pending.AddOrUpdate((prefix, day), 1, static (_, n) => n + 1);
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _flush.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var batch = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<(string, int), long>());
            if (batch.IsEmpty)
                return;
            var context = _store.CreateContext();
            await using (context.ConfigureAwait(false))
            {
                foreach (var ((prefix, day), count) in batch)
                {
                    var row = await context.ResolutionCounts.FindAsync([prefix, day], cancellationToken).ConfigureAwait(false);
                    if (row is null)
                        context.ResolutionCounts.Add(new ResolutionCountRow { Prefix = prefix, Day = day, Count = count });
                    else
                        row.Count += count;
                }
                await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _flush.Release();
        }
    }

    /// <summary>Counts per day (oldest first) for a prefix over the last <paramref name="days"/> days, flushed and pending together.</summary>
    public async Task<IReadOnlyList<DailyCount>> GetAsync(string prefix, int days = 30, CancellationToken cancellationToken = default)
    {
        var today = (int)(_time.GetUtcNow().ToUnixTimeSeconds() / 86400);
        var from = today - days + 1;
        var counts = new SortedDictionary<int, long>();
        var context = _store.CreateContext();
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.ResolutionCounts.AsNoTracking().Where(c => c.Prefix == prefix && c.Day >= from).ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
                counts[row.Day] = row.Count;
        }
        foreach (var ((p, day), count) in _pending)
        {
            if (p == prefix && day >= from)
                counts[day] = counts.GetValueOrDefault(day) + count;
        }
        return counts.Select(c => new DailyCount(DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + c.Key), c.Value)).ToList();
    }
}

public sealed record DailyCount(DateOnly Day, long Resolutions);
