using System.Collections.Concurrent;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Fabrica.Identifiers.Store;

/// <summary>
/// The handle records a node is authoritative for: durable in SQLite (write-through), served from an in-memory index.
/// Reads never touch the database; writes are serialised, committed, then published to the index, so a reader sees
/// a record only once it is durable. One instance per file.
/// </summary>
public sealed class HandleStore : IAsyncDisposable
{
    private readonly DbContextOptions<IdentifierDbContext> _options;
    private readonly ConcurrentDictionary<string, HandleRecord> _index = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly TimeProvider _time;

    private HandleStore(string path, TimeProvider time)
    {
        DatabasePath = Path.GetFullPath(path);
        _time = time;
        _options = new DbContextOptionsBuilder<IdentifierDbContext>().UseSqlite(BuildConnectionString(DatabasePath)).Options;
        Statistics = new ResolutionStatistics(this, time);
    }

    public string DatabasePath { get; }

    public int Count => _index.Count;

    /// <summary>Resolutions per prefix and day, counted in memory and written by <see cref="ResolutionStatistics.FlushAsync"/>.</summary>
    public ResolutionStatistics Statistics { get; }

    /// <summary>Raised after a record is created, replaced or deleted (null record = deleted); caches listen to it.</summary>
    public event Action<HandleName, HandleRecord?>? Changed;

    public static string BuildConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>Opens (creating or migrating) the file and loads every record into the index.</summary>
    public static async Task<HandleStore> OpenAsync(string path, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        var store = new HandleStore(path, time ?? TimeProvider.System);
        var context = store.CreateContext();
        await using (context.ConfigureAwait(false))
        {
            await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
            await foreach (var row in context.Handles.AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
                store._index[row.Handle] = new HandleRecord(HandleName.Parse(row.Handle), HandleValueCodec.DecodeList(row.Values));
        }
        return store;
    }

    /// <summary>The record, from memory; null if this node holds none.</summary>
    public HandleRecord? Get(HandleName handle) => _index.TryGetValue(handle.ToString(), out var record) ? record : null;

    /// <summary>Creates or replaces a record. With <paramref name="overwrite"/> false an existing record is left alone and false returned.</summary>
    public async Task<bool> PutAsync(HandleRecord record, bool overwrite = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Values.Count > HandleRecord.MaxValues)
            throw new ArgumentException($"A handle has at most {HandleRecord.MaxValues} values.", nameof(record));
        var key = record.Handle.ToString();
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var exists = _index.ContainsKey(key);
            if (exists && !overwrite)
                return false;
            var context = CreateContext();
            await using (context.ConfigureAwait(false))
            {
                var row = new HandleRow
                {
                    Handle = key,
                    Prefix = record.Handle.Prefix,
                    Values = HandleValueCodec.EncodeList(record.Values),
                    UpdatedAt = _time.GetUtcNow().ToUnixTimeMilliseconds(),
                };
                if (exists)
                    context.Handles.Update(row);
                else
                    context.Handles.Add(row);
                await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            _index[key] = record;
        }
        finally
        {
            _writer.Release();
        }
        Changed?.Invoke(record.Handle, record);
        return true;
    }

    public async Task<bool> DeleteAsync(HandleName handle, CancellationToken cancellationToken = default)
    {
        var key = handle.ToString();
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_index.ContainsKey(key))
                return false;
            var context = CreateContext();
            await using (context.ConfigureAwait(false))
                await context.Handles.Where(h => h.Handle == key).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            _index.TryRemove(key, out _);
        }
        finally
        {
            _writer.Release();
        }
        Changed?.Invoke(handle, null);
        return true;
    }

    /// <summary>
    /// Handles under <paramref name="prefix"/> in ordinal order, Handle.Net style: zero-based <paramref name="page"/>;
    /// a negative page or size lists all; size 0 returns only the count.
    /// </summary>
    public (int Total, IReadOnlyList<string> Handles) List(string prefix, int page = -1, int pageSize = -1)
    {
        var canonical = HandleName.NormalizePrefix(prefix) ?? throw new ArgumentException($"'{prefix}' is not a valid prefix.", nameof(prefix));
        var all = _index.Values.Where(r => r.Handle.Prefix == canonical).Select(r => r.Handle.ToString()).Order(StringComparer.Ordinal).ToList();
        if (page < 0 || pageSize < 0)
            return (all.Count, all);
        return (all.Count, all.Skip((int)Math.Min(int.MaxValue, (long)page * pageSize)).Take(pageSize).ToList());
    }

    /// <summary>Every record held, in no particular order (a live view of the index; front ends such as DNS build their own indexes from it).</summary>
    public IEnumerable<HandleRecord> Records => _index.Values;

    /// <summary>Every record whose handle is a prefix record (<c>0.NA/…</c>): the delegations this node knows.</summary>
    public IEnumerable<HandleRecord> PrefixRecords => _index.Values.Where(r => r.Handle.IsPrefixRecord);

    internal IdentifierDbContext CreateContext() => new(_options);

    public async ValueTask DisposeAsync()
    {
        await Statistics.FlushAsync().ConfigureAwait(false);
        _writer.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(BuildConnectionString(DatabasePath)));
    }
}
