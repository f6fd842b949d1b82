namespace Fabrica.Storage.Blocks;

/// <summary>The one exception for malformed block bytes: bad magic, unknown version, a CRC mismatch, a bad length.</summary>
public sealed class BlockFormatException : Exception
{
    public BlockFormatException()
    {
    }

    public BlockFormatException(string message)
        : base(message)
    {
    }

    public BlockFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
