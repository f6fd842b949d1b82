using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;

namespace Fabrica.Security.Audit;

/// <summary>Reading the audit files: where the chain ends (to continue it) and whether it is intact.</summary>
internal static class AuditFiles
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static IEnumerable<string> InOrder(string directory) =>
        Directory.EnumerateFiles(directory, AuditLog.FilePrefix + "*" + AuditLog.FileExtension)
            .Order(StringComparer.Ordinal);

    public static FileStream OpenForAppend(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerReadWrite;
        return new FileStream(path, options);
    }

    /// <summary>
    /// The sequence number and hash of the last entry. A torn last line (a crash mid-write; the entry was never
    /// acknowledged as flushed) is cut off so that the chain continues from the last whole entry.
    /// </summary>
    public static async Task<(long Sequence, string Hash)> ReadChainEndAsync(string directory, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var path in InOrder(directory).Reverse())
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.Asynchronous);
            await using var closeFile = file.ConfigureAwait(false);
            var end = file.Length;
            if (end == 0)
                continue;
            var lastNewline = await FindLastNewlineAsync(file, end, cancellationToken).ConfigureAwait(false);
            if (lastNewline != end - 1)
            {
                SecurityLog.AuditTornTailRemoved(logger, path, end - (lastNewline + 1));
                file.SetLength(lastNewline + 1);
                file.Flush(flushToDisk: true);
                end = lastNewline + 1;
                if (end == 0)
                    continue;
            }
            var start = await FindLastNewlineAsync(file, end - 1, cancellationToken).ConfigureAwait(false) + 1;
            var line = new byte[end - 1 - start];
            file.Position = start;
            await file.ReadExactlyAsync(line, cancellationToken).ConfigureAwait(false);
            if (!AuditRecord.TryRead(line, out var record, out var problem))
                throw new InvalidDataException($"The last audit entry in {path} is damaged ({problem}); run the audit verification and move the file aside to continue.");
            return (record!.Sequence, record.Hash);
        }
        return (0, AuditRecord.GenesisHash);
    }

    // Position of the last '\n' before `before`, or -1.
    private static async Task<long> FindLastNewlineAsync(FileStream file, long before, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var position = before;
        while (position > 0)
        {
            var count = (int)Math.Min(buffer.Length, position);
            position -= count;
            file.Position = position;
            await file.ReadExactlyAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
            var index = buffer.AsSpan(0, count).LastIndexOf((byte)'\n');
            if (index >= 0)
                return position + index;
        }
        return -1;
    }

    public static async Task<AuditVerification> VerifyAsync(string directory, CancellationToken cancellationToken)
    {
        var expectedSequence = 1L;
        var expectedPrevious = AuditRecord.GenesisHash;
        if (!Directory.Exists(directory))
            return AuditVerification.Intact(0);
        foreach (var path in InOrder(directory))
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.Asynchronous);
            await using var closeFile = file.ConfigureAwait(false);
            var reader = PipeReader.Create(file);
            var lineNumber = 0L;
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = read.Buffer;
                AuditBreak? broken = null;
                while (broken is null && TryReadLine(ref buffer, out var line))
                {
                    lineNumber++;
                    broken = Check(line.IsSingleSegment ? line.FirstSpan : line.ToArray(), path, lineNumber, ref expectedSequence, ref expectedPrevious);
                }
                if (broken is null && read.IsCompleted && !buffer.IsEmpty)
                    broken = new AuditBreak(path, lineNumber + 1, expectedSequence, "the last line is incomplete");
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (broken is not null)
                {
                    await reader.CompleteAsync().ConfigureAwait(false);
                    return AuditVerification.Broken(expectedSequence - 1, broken);
                }
                if (read.IsCompleted)
                    break;
            }
            await reader.CompleteAsync().ConfigureAwait(false);
        }
        return AuditVerification.Intact(expectedSequence - 1);
    }

    private static AuditBreak? Check(ReadOnlySpan<byte> line, string path, long lineNumber, ref long expectedSequence, ref string expectedPrevious)
    {
        if (!AuditRecord.TryRead(line, out var record, out var problem))
            return new AuditBreak(path, lineNumber, expectedSequence, problem!);
        if (record!.Sequence != expectedSequence)
            return new AuditBreak(path, lineNumber, expectedSequence, $"sequence {record.Sequence} where {expectedSequence} was expected (an entry was removed, added or moved)");
        if (!string.Equals(record.PreviousHash, expectedPrevious, StringComparison.Ordinal))
            return new AuditBreak(path, lineNumber, expectedSequence, "the entry does not follow the one before it (prev hash differs)");
        expectedSequence++;
        expectedPrevious = record.Hash;
        return null;
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }
}

/// <summary>The outcome of walking the audit chain.</summary>
/// <param name="EntriesVerified">Entries found intact before the first break (or in all).</param>
/// <param name="FirstBreak">Where the chain breaks first, or null when it is intact.</param>
public sealed record AuditVerification(bool IsIntact, long EntriesVerified, AuditBreak? FirstBreak)
{
    internal static AuditVerification Intact(long entries) => new(true, entries, null);

    internal static AuditVerification Broken(long entries, AuditBreak at) => new(false, entries, at);
}

/// <param name="File">The audit file holding the broken entry.</param>
/// <param name="Line">Its line number in that file, from 1.</param>
/// <param name="Sequence">The sequence number the entry at that place should have.</param>
/// <param name="Problem">What is wrong, for a person.</param>
public sealed record AuditBreak(string File, long Line, long Sequence, string Problem);
