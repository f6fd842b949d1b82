using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Fabrica.Platform.Models.Storage;

/// <summary>
/// Where the model, alarms and commands are kept: tables in the platform's SQLite file (<c>&lt;data&gt;/fabrica.db</c>,
/// shared with Fabrica.Security) created by this store's own migrations (history in <c>__ModelMigrationsHistory</c>).
/// Thread-safe: every call uses its own short-lived context over the pooled connection.
/// </summary>
public sealed partial class ModelStore
{
    private readonly DbContextOptions<ModelDbContext> _options;

    public ModelStore(string databasePath, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        Time = time ?? TimeProvider.System;
        _options = new DbContextOptionsBuilder<ModelDbContext>()
            .UseSqlite(Security.Storage.SecurityStore.BuildConnectionString(DatabasePath), o => o.MigrationsHistoryTable(ModelDbContext.MigrationsHistoryTable))
            .Options;
    }

    public string DatabasePath { get; }

    public TimeProvider Time { get; }

    /// <summary>Creates or upgrades this store's tables and switches the file to write-ahead logging. Call once at start.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The stored model, in the order it was given. Not validated here: the caller builds the snapshot.</summary>
    public async Task<ModelDocument> LoadModelAsync(CancellationToken cancellationToken = default)
    {
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            var types = await context.AssetTypes.AsNoTracking().OrderBy(r => r.Position).Select(r => r.Json).ToListAsync(cancellationToken).ConfigureAwait(false);
            var assets = await context.Assets.AsNoTracking().OrderBy(r => r.Position).Select(r => r.Json).ToListAsync(cancellationToken).ConfigureAwait(false);
            var rules = await context.Rules.AsNoTracking().OrderBy(r => r.Position).Select(r => r.Json).ToListAsync(cancellationToken).ConfigureAwait(false);
            return new ModelDocument(
                [.. types.Select(j => JsonSerializer.Deserialize(j, ModelJsonContext.Default.AssetType)!)],
                [.. assets.Select(j => JsonSerializer.Deserialize(j, ModelJsonContext.Default.Asset)!)],
                [.. rules.Select(j => JsonSerializer.Deserialize(j, ModelJsonContext.Default.AssetRule)!)]);
        }
    }

    /// <summary>Writes what differs between <paramref name="before"/> and <paramref name="after"/> in one transaction.</summary>
    internal async Task SaveModelAsync(PlantModel before, PlantModel after, CancellationToken cancellationToken = default)
    {
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            Sync(context.AssetTypes, before.TypeList, after.TypeList, t => t.Id, (t, i) => new AssetTypeRow
            {
                Id = t.Id, Position = i, UpdatedAt = now, Json = JsonSerializer.Serialize(t, ModelJsonContext.Default.AssetType),
            });
            Sync(context.Assets, before.AssetList, after.AssetList, a => a.Id, (a, i) => new AssetRow
            {
                Id = a.Id, ParentId = a.Parent, TypeId = a.Type, Position = i, UpdatedAt = now, Json = JsonSerializer.Serialize(a, ModelJsonContext.Default.Asset),
            });
            Sync(context.Rules, before.RuleList, after.RuleList, r => r.Id, (r, i) => new RuleRow
            {
                Id = r.Id, AssetType = r.AssetType, Asset = r.Asset, Enabled = r.Definition.Enabled, Position = i, UpdatedAt = now,
                Json = JsonSerializer.Serialize(r, ModelJsonContext.Default.AssetRule),
            });
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes rows that went, adds rows that came, updates rows whose item changed (by reference: snapshots share unchanged items).</summary>
    private static void Sync<TItem, TRow>(DbSet<TRow> set, IReadOnlyList<TItem> before, IReadOnlyList<TItem> after, Func<TItem, string> id, Func<TItem, int, TRow> row)
        where TItem : class
        where TRow : class
    {
        var old = new Dictionary<string, (TItem Item, int Index)>(StringComparer.Ordinal);
        for (var i = 0; i < before.Count; i++)
            old[id(before[i])] = (before[i], i);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < after.Count; i++)
        {
            var item = after[i];
            var key = id(item);
            kept.Add(key);
            if (!old.TryGetValue(key, out var previous))
                set.Add(row(item, i));
            else if (!ReferenceEquals(previous.Item, item) || previous.Index != i)
                set.Update(row(item, i));
        }
        foreach (var (key, previous) in old)
        {
            if (!kept.Contains(key))
                set.Remove(row(previous.Item, previous.Index));
        }
    }

    internal ModelDbContext CreateContext() => new(_options);

    internal long Now() => Time.GetUtcNow().ToUnixTimeMilliseconds();
}
