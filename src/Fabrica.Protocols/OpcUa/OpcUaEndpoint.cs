using System.Globalization;

namespace Fabrica.Protocols.OpcUa;

/// <summary>An <c>opc.tcp://host:port/path</c> endpoint URL (OPC 10000-6 §7.1.1; port 4840 by default).</summary>
public sealed record OpcUaEndpoint(string Host, int Port, string Url)
{
    public const int DefaultPort = 4840;

    public static OpcUaEndpoint Parse(string endpointUrl)
    {
        ArgumentNullException.ThrowIfNull(endpointUrl);
        if (!Uri.TryCreate(endpointUrl, UriKind.Absolute, out var uri) || !string.Equals(uri.Scheme, "opc.tcp", StringComparison.OrdinalIgnoreCase) || uri.Host.Length == 0)
        {
            throw new OpcUaServiceException(StatusCodes.BadTcpEndpointUrlInvalid, $"'{endpointUrl}' is not an opc.tcp://host:port/path URL");
        }
        return new OpcUaEndpoint(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port, endpointUrl);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
