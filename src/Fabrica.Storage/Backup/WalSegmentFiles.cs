using System.Globalization;

namespace Fabrica.Storage.Backup;

/// <summary>Finds the WAL's segment files and their numbers, for copying closed segments into a backup.</summary>
internal static class WalSegmentFiles
{
    /// <summary>Segment files whose number is below <paramref name="segment"/>: closed, never appended to again.</summary>
    public static List<string> Before(string walDirectory, long segment)
    {
        var result = new List<string>();
        if (!Directory.Exists(walDirectory))
            return result;
        foreach (var path in Directory.EnumerateFiles(walDirectory))
        {
            if (TryGetSegment(Path.GetFileName(path), out var number) && number < segment)
                result.Add(path);
        }
        result.Sort(StringComparer.Ordinal);
        return result;
    }

    /// <summary>The segment number is the first run of digits in the file name (e.g. <c>00000042.wal</c>).</summary>
    internal static bool TryGetSegment(string fileName, out long segment)
    {
        segment = 0;
        var start = 0;
        while (start < fileName.Length && !char.IsAsciiDigit(fileName[start]))
            start++;
        var end = start;
        while (end < fileName.Length && char.IsAsciiDigit(fileName[end]))
            end++;
        return end > start && !fileName.EndsWith(".tmp", StringComparison.Ordinal) &&
               long.TryParse(fileName.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out segment);
    }
}
