using Fabrica.Security.Audit;
using Fabrica.Security.Storage;
using Fabrica.Storage;
using Microsoft.Data.Sqlite;

namespace Fabrica.Server.Hosting;

/// <summary>
/// Backup and restore of a whole node: the time-series engine (its own consistent snapshot with a checksummed
/// manifest), the metadata database (SQLite online backup, consistent while the server writes), the audit log
/// and the admin token file. A backup directory is self-contained; restore refuses a data directory in use.
/// </summary>
public static class NodeBackup
{
    private const string StorageFolder = "tsdb";
    private const string DatabaseFile = "fabrica.db";

    /// <summary>The node's SQLite databases: metadata and security, and the identifier records.</summary>
    private static readonly string[] Databases = [DatabaseFile, "identifiers.db"];
    private const string AuditFolder = "audit";
    private const string AdminTokenFile = "admin.token";
    private const string EdgeConfigFolder = "edges"; // rules pushed to edges (Platform/Edges/EdgeConfigStore)

    /// <summary>Takes a consistent copy of a running node into <paramref name="target"/>, which must be empty or absent.</summary>
    public static async Task<BackupSummary> BackupAsync(
        IServiceProvider services, string target, IProgress<StorageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<FabricaServerOptions>();
        target = Path.GetFullPath(target);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new IOException($"Backup target {target} is not empty: choose a new directory.");
        Directory.CreateDirectory(target);

        await services.GetRequiredService<TimeSeriesEngine>().BackupAsync(Path.Combine(target, StorageFolder), progress, cancellationToken).ConfigureAwait(false);

        foreach (var database in Databases)
        {
            var source = Path.Combine(options.DataDirectory, database);
            if (File.Exists(source))
                await CopyDatabaseAsync(source, Path.Combine(target, database), cancellationToken).ConfigureAwait(false);
        }

        await services.GetRequiredService<IAuditLog>().FlushAsync(cancellationToken).ConfigureAwait(false);
        CopyDirectory(Path.Combine(options.DataDirectory, AuditFolder), Path.Combine(target, AuditFolder));
        CopyIfExists(Path.Combine(options.DataDirectory, AdminTokenFile), Path.Combine(target, AdminTokenFile));
        CopyDirectory(Path.Combine(options.DataDirectory, EdgeConfigFolder), Path.Combine(target, EdgeConfigFolder));

        var bytes = Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        return new BackupSummary(target, bytes);
    }

    /// <summary>Brings a backup back into <paramref name="dataDirectory"/>, which must hold no node (stop the server first).</summary>
    public static async Task RestoreAsync(string backup, string dataDirectory, CancellationToken cancellationToken = default)
    {
        backup = Path.GetFullPath(backup);
        dataDirectory = Path.GetFullPath(dataDirectory);
        if (!File.Exists(Path.Combine(backup, DatabaseFile)) || !Directory.Exists(Path.Combine(backup, StorageFolder)))
            throw new IOException($"{backup} is not a Fabrica backup: it lacks {DatabaseFile} or {StorageFolder}/.");
        if (Directory.Exists(Path.Combine(dataDirectory, StorageFolder)) || File.Exists(Path.Combine(dataDirectory, DatabaseFile)))
            throw new IOException($"{dataDirectory} already holds a node: restore into an empty directory, or move the old data away first.");
        Directory.CreateDirectory(dataDirectory);
        await TimeSeriesEngine.RestoreAsync(Path.Combine(backup, StorageFolder), Path.Combine(dataDirectory, StorageFolder), cancellationToken).ConfigureAwait(false);
        foreach (var database in Databases)
            CopyIfExists(Path.Combine(backup, database), Path.Combine(dataDirectory, database));
        CopyDirectory(Path.Combine(backup, AuditFolder), Path.Combine(dataDirectory, AuditFolder));
        CopyIfExists(Path.Combine(backup, AdminTokenFile), Path.Combine(dataDirectory, AdminTokenFile));
        CopyDirectory(Path.Combine(backup, EdgeConfigFolder), Path.Combine(dataDirectory, EdgeConfigFolder));
    }

    /// <summary>SQLite's online backup: a consistent copy while the server keeps writing.</summary>
    private static async Task CopyDatabaseAsync(string source, string target, CancellationToken cancellationToken)
    {
        await using (var from = new SqliteConnection(SecurityStore.BuildConnectionString(source)))
        await using (var to = new SqliteConnection(SecurityStore.BuildConnectionString(target)))
        {
            await from.OpenAsync(cancellationToken).ConfigureAwait(false);
            await to.OpenAsync(cancellationToken).ConfigureAwait(false);
            from.BackupDatabase(to);
        }
        SqliteConnection.ClearAllPools();
    }

    private static void CopyDirectory(string source, string target)
    {
        if (!Directory.Exists(source))
            return;
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
            CopyIfExists(file, Path.Combine(target, Path.GetFileName(file)));
    }

    /// <summary>Copies keeping the owner-only mode of secrets (token file, audit log).</summary>
    private static void CopyIfExists(string source, string target)
    {
        if (!File.Exists(source))
            return;
        File.Copy(source, target);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(target, File.GetUnixFileMode(source));
    }
}

public sealed record BackupSummary(string Directory, long Bytes);
