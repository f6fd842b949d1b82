using Fabrica.Storage.Backup;
using Fabrica.Storage.Blocks;
using Fabrica.Storage.Retention;
using Fabrica.Storage.Wal;
using Fabrica.IO;

namespace Fabrica.Storage;

public sealed partial class TimeSeriesEngine
{
    /// <summary>Consistent copy of a running engine into an empty directory.</summary>
    /// <remarks>
    /// Rotates the WAL, then copies the blocks and the closed WAL segments while flush, compaction and retention wait:
    /// every write acknowledged before the backup started is in one or the other. Writes go on meanwhile into the new
    /// segment, which is not copied. <c>manifest.json</c> (sizes, SHA-256) is written last.
    /// </remarks>
    public Task BackupAsync(string targetDirectory, IProgress<StorageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(targetDirectory);
        EnsureEmpty(targetDirectory);
        return RunExclusiveAsync(ct => BackupCoreAsync(targetDirectory, progress, ct), cancellationToken);
    }

    private async Task BackupCoreAsync(string target, IProgress<StorageProgress>? progress, CancellationToken cancellationToken)
    {
        var segment = await _wal.RotateSegmentAsync(cancellationToken).ConfigureAwait(false);
        var sources = new List<string>();
        foreach (var block in _state.Blocks)
            sources.Add(block.Path);
        sources.AddRange(WalSegmentFiles.Before(_walDirectory, segment));
        var horizon = Path.Combine(_options.Directory, RawHorizonFile.FileName);
        if (File.Exists(horizon))
            sources.Add(horizon);

        Directory.CreateDirectory(Path.Combine(target, "blocks"));
        Directory.CreateDirectory(Path.Combine(target, "wal"));
        var files = new List<BackupFile>(sources.Count);
        long total = 0;
        foreach (var source in sources)
        {
            var relative = Path.GetRelativePath(_options.Directory, source).Replace('\\', '/');
            var (bytes, sha) = await BackupManifest.CopyAsync(source, Path.Combine(target, relative), cancellationToken).ConfigureAwait(false);
            files.Add(new BackupFile(relative, bytes, sha));
            total += bytes;
            progress?.Report(new StorageProgress("backup", files.Count, sources.Count));
        }
        DurableDirectory.Sync(Path.Combine(target, "blocks"));
        DurableDirectory.Sync(Path.Combine(target, "wal"));
        BackupManifest.Write(Path.Combine(target, BackupManifest.FileName), UnixTime.Now(_time), files);
        Log.BackupWritten(_logger, files.Count, total, target);
    }

    /// <summary>Restores a backup into an engine directory that no engine has open.</summary>
    /// <remarks>Every file is checked against the manifest before anything is copied; a damaged backup changes nothing.</remarks>
    public static async Task RestoreAsync(string backupDirectory, string targetDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(backupDirectory);
        ArgumentException.ThrowIfNullOrEmpty(targetDirectory);
        var manifestPath = Path.Combine(backupDirectory, BackupManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new InvalidDataException($"{backupDirectory} holds no {BackupManifest.FileName}: not a complete backup.");
        var files = BackupManifest.Read(manifestPath);
        foreach (var file in files)
        {
            var source = Path.Combine(backupDirectory, file.RelativePath);
            if (!File.Exists(source) || new FileInfo(source).Length != file.Bytes ||
                !string.Equals(await BackupManifest.HashAsync(source, cancellationToken).ConfigureAwait(false), file.Sha256, StringComparison.Ordinal))
                throw new InvalidDataException($"Backup file {file.RelativePath} is missing or differs from the manifest.");
        }
        EnsureEmpty(targetDirectory);
        Directory.CreateDirectory(Path.Combine(targetDirectory, "blocks"));
        Directory.CreateDirectory(Path.Combine(targetDirectory, "wal"));
        foreach (var file in files)
        {
            var (_, sha) = await BackupManifest.CopyAsync(Path.Combine(backupDirectory, file.RelativePath), Path.Combine(targetDirectory, file.RelativePath), cancellationToken)
                .ConfigureAwait(false);
            if (!string.Equals(sha, file.Sha256, StringComparison.Ordinal))
                throw new IOException($"Restored {file.RelativePath} differs from the backup (disk error?).");
        }
        DurableDirectory.Sync(Path.Combine(targetDirectory, "blocks"));
        DurableDirectory.Sync(Path.Combine(targetDirectory, "wal"));
        DurableDirectory.Sync(targetDirectory);
    }

    /// <summary>Verifies every checksum of every block and WAL segment without opening the engine.</summary>
    public static StorageCheckReport Check(string directory, IProgress<StorageProgress>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var results = new List<FileCheck>();
        var blocksDirectory = Path.Combine(directory, "blocks");
        var files = Directory.Exists(blocksDirectory) ? Directory.GetFiles(blocksDirectory) : [];
        Array.Sort(files, StringComparer.Ordinal);
        for (var i = 0; i < files.Length; i++)
        {
            results.Add(CheckBlockFile(files[i]));
            progress?.Report(new StorageProgress("check: blocks", i + 1, files.Length));
        }
        results.AddRange(WriteAheadLog.Check(Path.Combine(directory, "wal")));
        var horizon = Path.Combine(directory, RawHorizonFile.FileName);
        if (File.Exists(horizon))
        {
            try
            {
                _ = RawHorizonFile.Read(directory);
                results.Add(new FileCheck(horizon, true, null));
            }
            catch (BlockFormatException ex)
            {
                results.Add(new FileCheck(horizon, false, ex.Message));
            }
        }
        progress?.Report(new StorageProgress("check", results.Count, results.Count));
        return new StorageCheckReport(results);
    }

    private static FileCheck CheckBlockFile(string path)
    {
        if (path.EndsWith(".tmp", StringComparison.Ordinal))
            return new FileCheck(path, true, "unpublished temporary file; deleted at the next open");
        if (!path.EndsWith(BlockLayout.Extension, StringComparison.Ordinal))
            return new FileCheck(path, false, "unexpected file in blocks/");
        try
        {
            using var block = Block.Open(path, verifyEveryChunk: true);
            return block.IsDamaged ? new FileCheck(path, false, string.Join("; ", block.Damage)) : new FileCheck(path, true, null);
        }
        catch (Exception ex) when (ex is BlockFormatException or IOException or UnauthorizedAccessException)
        {
            return new FileCheck(path, false, ex.Message);
        }
    }

    private static void EnsureEmpty(string directory)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
            throw new IOException($"{directory} is not empty; backups and restores go into a new or empty directory.");
    }
}
