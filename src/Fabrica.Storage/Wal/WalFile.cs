using Microsoft.Win32.SafeHandles;

namespace Fabrica.Storage.Wal;

/// <summary>
/// The file operations the committer needs. Production uses <see cref="DiskWalFile"/>; a test wraps it to provoke
/// an fsync failure, which a real disk cannot be asked for (CONVENTIONS.md, "Tests").
/// </summary>
internal interface IWalFile : IDisposable
{
    void Write(ReadOnlySpan<byte> data, long offset);

    /// <summary>fsync: returns once data and metadata written so far are on stable storage.</summary>
    void Flush();

    void SetLength(long length);
}

/// <summary>A segment file written with positional writes (<see cref="RandomAccess"/>), no user-space buffering.</summary>
internal sealed class DiskWalFile(string path) : IWalFile
{
    // FileShare.Delete: DeleteSegmentsBefore may run while readers (a backup) hold older segments open on Windows.
    private readonly SafeFileHandle _handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);

    public void Write(ReadOnlySpan<byte> data, long offset) => RandomAccess.Write(_handle, data, offset);

    // RandomAccess.FlushToDisk and FileStream.Flush(true) are both fsync(2) on Linux; measured equal (docs/benchmarks.md).
    public void Flush() => RandomAccess.FlushToDisk(_handle);

    public void SetLength(long length) => RandomAccess.SetLength(_handle, length);

    public void Dispose() => _handle.Dispose();
}
