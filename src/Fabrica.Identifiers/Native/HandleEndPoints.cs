using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Fabrica.Identifiers.Native;

/// <summary>Where a Handle server listens, as the command line names it: <c>host:port</c> or <c>[v6]:port</c>.</summary>
public static class HandleEndPoints
{
    public static IPEndPoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is 0 or > 65535)
            throw new ArgumentException($"'{text}' is not host:port (e.g. 127.0.0.1:2641).");
        var host = text[..colon].Trim('[', ']');
        var address = IPAddress.TryParse(host, out var parsed) ? parsed
            : System.Net.Dns.GetHostAddresses(host).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault()
              ?? throw new ArgumentException($"'{host}' has no address.");
        return new IPEndPoint(address, port);
    }
}
