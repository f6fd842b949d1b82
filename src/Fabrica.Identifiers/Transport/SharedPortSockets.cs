using System.Net;
using System.Net.Sockets;

namespace Fabrica.Identifiers.Transport;

/// <summary>
/// A TCP listener and a UDP socket bound to the same port, as DNS (RFC 1035 §4.2) and the Handle protocol
/// (RFC 3652 §2.1) serve both transports on one port.
/// </summary>
internal static class SharedPortSockets
{
    /// <summary>
    /// Binds TCP first (with port 0 it picks a free port) and UDP to the same number, retrying when that UDP port is
    /// taken; the TCP socket is listening on return. A fixed port that cannot be bound throws.
    /// </summary>
    public static (Socket Tcp, Socket Udp, IPEndPoint Bound) Bind(IPEndPoint endPoint)
    {
        for (var attempt = 0; ; attempt++)
        {
            var tcp = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            var udp = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                tcp.Bind(endPoint);
                var bound = (IPEndPoint)tcp.LocalEndPoint!;
                udp.Bind(bound);
                tcp.Listen(512);
                return (tcp, udp, bound);
            }
            catch (SocketException) when (endPoint.Port == 0 && attempt < 20)
            {
                tcp.Dispose();
                udp.Dispose();
            }
            catch
            {
                tcp.Dispose();
                udp.Dispose();
                throw;
            }
        }
    }
}
