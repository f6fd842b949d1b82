using System.Diagnostics.CodeAnalysis;

namespace Fabrica.Storage.Chunks;

/// <summary>
/// A stored chunk is malformed: truncated, corrupted or written by an unknown format version.
/// It is the only exception that decoding untrusted bytes may raise.
/// </summary>
public sealed class ChunkFormatException : Exception
{
    public ChunkFormatException()
        : base("The chunk is malformed.")
    {
    }

    public ChunkFormatException(string message)
        : base(message)
    {
    }

    public ChunkFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    // Throwing from a separate method keeps the decoders' hot loops small (Npgsql ThrowHelper).
    [DoesNotReturn]
    internal static void Throw(string message) => throw new ChunkFormatException(message);
}
