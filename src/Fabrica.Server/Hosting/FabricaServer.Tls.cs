using Fabrica.Server.Mqtt;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MQTTnet.AspNetCore;

namespace Fabrica.Server.Hosting;

/// <summary>
/// MQTT over TLS (docs/security.md, "MQTT over TLS"): a second MQTT listener on Kestrel whose connections pass
/// Kestrel's TLS middleware before MQTTnet's handler, so the same broker, authentication and topic rules serve
/// both ports. TLS 1.2 or 1.3; no client certificates (devices and edges authenticate with their tokens).
/// </summary>
public sealed partial class FabricaServer
{
    private static ListenOptions ListenMqttTls(ListenOptions listener, MqttTlsCertificate tls)
    {
        listener.UseHttps(https =>
        {
            https.ServerCertificate = tls.Certificate;
            https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
        });
        listener.UseMqtt();
        return listener;
    }
}
