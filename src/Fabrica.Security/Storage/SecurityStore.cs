using Fabrica.Security.Tokens;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Fabrica.Security.Storage;

/// <summary>
/// Where devices, gateways and API tokens live: one SQLite file (the host passes e.g. <c>&lt;data&gt;/fabrica.db</c>),
/// the clock, and the cache of recently verified credentials that all registries share so that each one can
/// invalidate what another cached. One instance per database file, shared by the services (a singleton).
/// </summary>
public sealed class SecurityStore
{
    private readonly DbContextOptions<SecurityDbContext> _options;

    public SecurityStore(string databasePath, TimeProvider? timeProvider = null, SecurityStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        options ??= new SecurityStoreOptions();
        DatabasePath = Path.GetFullPath(databasePath);
        ConnectionString = BuildConnectionString(DatabasePath);
        Time = timeProvider ?? TimeProvider.System;
        _options = new DbContextOptionsBuilder<SecurityDbContext>().UseSqlite(ConnectionString).Options;
        Credentials = new VerifiedTokenCache(Time, options.VerifiedCredentialLifetime, options.VerifiedCredentialCapacity);
    }

    public string DatabasePath { get; }

    public string ConnectionString { get; }

    public TimeProvider Time { get; }

    internal VerifiedTokenCache Credentials { get; }

    /// <summary>A pooled, read-write connection string that creates the file if needed.</summary>
    public static string BuildConnectionString(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        // Seconds a command waits on a lock held by another connection (SQLITE_BUSY) before it fails.
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>
    /// Creates or upgrades the schema (EF Core migrations in Storage/Migrations) and switches the file to
    /// write-ahead logging, so readers never block the writer. Call once at start, before any service is used.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            // journal_mode=WAL is stored in the file; it cannot change inside a transaction, hence after migrating.
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }
    }

    internal SecurityDbContext CreateContext() => new(_options);

    internal long Now() => Time.GetUtcNow().ToUnixTimeMilliseconds();
}

/// <summary>Tuning of the verified-credential cache.</summary>
public sealed record SecurityStoreOptions
{
    /// <summary>How long a verified credential is trusted without a query; also how long a revocation made by another process may take to apply here.</summary>
    public TimeSpan VerifiedCredentialLifetime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many verified credentials are kept; the cache starts afresh when full.</summary>
    public int VerifiedCredentialCapacity { get; init; } = 10_000;
}
