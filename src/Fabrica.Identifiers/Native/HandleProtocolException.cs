using System.Diagnostics.CodeAnalysis;

namespace Fabrica.Identifiers.Native;

/// <summary>
/// Malformed Handle protocol data (RFC 3652) or a malformed binary handle value (RFC 3651): a length beyond its limit,
/// a count that does not fit, bytes left over. The one exception every Handle decoder throws; "need more bytes" is
/// never an exception but a <c>false</c> from <c>TryRead</c>.
/// </summary>
public sealed class HandleProtocolException : Exception
{
    public HandleProtocolException(string message) : base(message)
    {
    }

    public HandleProtocolException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public HandleProtocolException()
    {
    }

    [DoesNotReturn]
    internal static void Throw(string message) => throw new HandleProtocolException(message);

    [DoesNotReturn]
    internal static T Throw<T>(string message) => throw new HandleProtocolException(message);
}
