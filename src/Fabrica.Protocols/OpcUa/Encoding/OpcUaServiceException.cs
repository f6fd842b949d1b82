using System.Diagnostics.CodeAnalysis;

namespace Fabrica.Protocols.OpcUa;

/// <summary>
/// The one exception of the OPC UA client: malformed or over-limit input from the wire, an Error message from
/// the server, a ServiceFault, or a Bad service result. <see cref="StatusCode"/> says which (OPC 10000-4 §7.39).
/// </summary>
public sealed class OpcUaServiceException : Exception
{
    public OpcUaServiceException(StatusCode statusCode, string message, Exception? innerException = null)
        : base($"{message} ({statusCode})", innerException)
    {
        StatusCode = statusCode;
    }

    public OpcUaServiceException()
        : this(StatusCodes.BadUnexpectedError, "OPC UA error")
    {
    }

    public OpcUaServiceException(string message)
        : this(StatusCodes.BadUnexpectedError, message)
    {
    }

    public OpcUaServiceException(string message, Exception innerException)
        : this(StatusCodes.BadUnexpectedError, message, innerException)
    {
    }

    public StatusCode StatusCode { get; }
}

/// <summary>Throw sites kept out of hot decoding paths (the JIT does not inline a method that throws).</summary>
internal static class OpcUaThrow
{
    [DoesNotReturn]
    public static void Decoding(string message) =>
        throw new OpcUaServiceException(StatusCodes.BadDecodingError, message);

    [DoesNotReturn]
    public static T Decoding<T>(string message) =>
        throw new OpcUaServiceException(StatusCodes.BadDecodingError, message);

    [DoesNotReturn]
    public static void LimitExceeded(string what, long actual, long limit) =>
        throw new OpcUaServiceException(StatusCodes.BadEncodingLimitsExceeded, $"{what} {actual} exceeds the limit {limit}");

    [DoesNotReturn]
    public static void Truncated() =>
        throw new OpcUaServiceException(StatusCodes.BadDecodingError, "message ends inside a field");

    [DoesNotReturn]
    public static void Encoding(string message) =>
        throw new OpcUaServiceException(StatusCodes.BadEncodingError, message);

    [DoesNotReturn]
    public static void Status(StatusCode code, string message) =>
        throw new OpcUaServiceException(code, message);
}
