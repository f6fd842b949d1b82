namespace Fabrica.Storage;

/// <summary>What recovery found and did at open: blocks loaded, WAL records replayed, damage repaired.</summary>
public sealed record RecoveryReport(
    int BlocksLoaded,
    IReadOnlyList<string> DamagedBlocks,
    long WalRecordsReplayed,
    long WalSamplesReplayed,
    IReadOnlyList<string> WalRepairs,
    TimeSpan Duration)
{
    public bool Clean => DamagedBlocks.Count == 0 && WalRepairs.Count == 0;
}

/// <summary>One file checked by <c>fabrica storage check</c>.</summary>
public sealed record FileCheck(string Path, bool Ok, string? Problem);

public sealed record StorageCheckReport(IReadOnlyList<FileCheck> Files)
{
    public bool Ok => Files.All(f => f.Ok);
}

public sealed record StorageStatistics(long SeriesCount, long HeadSamples, int BlockCount, long BlockBytes, long WalBytes);

/// <summary>Progress of a long operation (recovery, compaction, backup, check) for CLIs and logs.</summary>
public readonly record struct StorageProgress(string Operation, long Done, long Total);
