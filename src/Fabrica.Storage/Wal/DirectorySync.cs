using System.Runtime.InteropServices;

namespace Fabrica.Storage.Wal;

/// <summary>
/// fsync of a directory, so that a new segment's directory entry survives a crash (POSIX leaves it undefined
/// otherwise; PostgreSQL does the same in fsync_fname). .NET has no API for it: Linux only, elsewhere a no-op.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
            return;
        var fd = Open(directory, ReadOnlyDirectory);
        if (fd < 0)
            throw new IOException($"Cannot open directory '{directory}' to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (FSync(fd) != 0)
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Close(int fd);
}
