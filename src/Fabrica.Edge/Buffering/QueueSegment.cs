using Microsoft.Win32.SafeHandles;

namespace Fabrica.Edge.Buffering;

/// <summary>
/// One segment file of the buffer as the queue tracks it in memory. Records <see cref="FirstSeq"/> up to (not
/// including) <see cref="NextSeq"/>; <see cref="WrittenBytes"/> have been handed to the OS, <see cref="DurableBytes"/>
/// are fsynced and visible to readers. Mutated only under the queue's lock.
/// </summary>
internal sealed class QueueSegment(string path, long firstSeq)
{
    public string Path { get; } = path;

    public long FirstSeq { get; } = firstSeq;

    public long NextSeq { get; set; } = firstSeq;

    public long WrittenBytes { get; set; }

    public long DurableBytes { get; set; }

    /// <summary>Samples in all records of the segment.</summary>
    public long Samples { get; set; }

    /// <summary>Open for appending while this is the newest segment; null once sealed.</summary>
    public SafeFileHandle? Writer { get; set; }

    public long RecordCount => NextSeq - FirstSeq;
}

/// <summary>Counts of the buffer for status reports and metrics.</summary>
public readonly record struct QueueStats(long PendingRecords, long Bytes, long DroppedRecords, long DroppedSamples, long Segments);

/// <summary>What opening the buffer found: records waiting, and any damage repaired (each in one line).</summary>
public sealed record QueueRecovery(long PendingRecords, long FirstSeq, long NextSeq, IReadOnlyList<string> Repairs)
{
    public bool Clean => Repairs.Count == 0;
}
