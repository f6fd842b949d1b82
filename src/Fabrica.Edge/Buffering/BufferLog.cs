using Microsoft.Extensions.Logging;

namespace Fabrica.Edge.Buffering;

/// <summary>Log messages of the store-and-forward buffer (event ids 3100–3199).</summary>
internal static partial class Log
{
    [LoggerMessage(3101, LogLevel.Warning, "Edge buffer full ({MaxBytes} bytes): dropped the oldest segment with {Records} unsent records ({Samples} samples)")]
    public static partial void BufferFullDropped(ILogger logger, long records, long samples, long maxBytes);

    [LoggerMessage(3102, LogLevel.Warning, "Edge buffer {Directory} repaired: {Repair}")]
    public static partial void BufferRepaired(ILogger logger, string directory, string repair);
}
