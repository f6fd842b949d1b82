using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Fabrica.Edge.Adapters.Modbus;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Runtime;
using Fabrica.Edge.Uplink;
using Fabrica.Interop.Tests.Infrastructure;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Interop.Tests.Mqtt;

/// <summary>
/// MQTT over TLS (docs/security.md, "MQTT over TLS"): the platform's TLS listener with a certificate it generated
/// into its data directory; Debian's mosquitto_pub trusting it by <c>--cafile</c> publishes telemetry that is stored;
/// our edge connects over TLS trusting it by CA file or by pinned fingerprint, and refuses the server when the pin
/// or the CA does not match (no "accept any certificate").
/// </summary>
public sealed class MqttTlsTests
{
    [Fact]
    public async Task Mosquitto_pub_and_the_edge_publish_over_tls_and_the_edge_refuses_a_certificate_it_does_not_trust()
    {
        using var dir = new TempDirectory();
        var data = Path.Combine(dir.Path, "data");
        // `fabrica serve --mqtt-tls-port 0` without --tls-cert: a certificate is generated and its fingerprint printed.
        using var platform = await ServerProcess.StartAsync(data, extraArguments: ["--mqtt-tls-port", "0"]);
        var crt = Path.Combine(data, "mqtt-tls.crt");
        Assert.True(File.Exists(Path.Combine(data, "mqtt-tls.pfx")), platform.Output);
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(X509Certificate2.CreateFromPem(File.ReadAllText(crt)).RawData));
        Assert.Equal(fingerprint, platform.TlsFingerprint);
        Assert.Contains("generated, self-signed", platform.Output, StringComparison.Ordinal);
        var tlsPort = platform.MqttTlsPort!.Value;
        using var http = new HttpClient { BaseAddress = platform.HttpUri, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(data, "admin.token")).Trim());

        // mosquitto_pub over TLS, trusting the generated certificate as its CA.
        using (var device = await http.PostAsJsonAsync("/api/v1/devices", new { id = "press-9", name = "press-9" }))
        {
            device.EnsureSuccessStatusCode();
            var deviceToken = (await device.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
            var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var (exit, stderr) = await MosquittoPubAsync(["--cafile", crt, "-h", "127.0.0.1", "-p", tlsPort.ToString(CultureInfo.InvariantCulture),
                "-V", "mqttv311", "-i", "press-9", "-u", "press-9", "-P", deviceToken, "-q", "1",
                "-t", "fabrica/devices/press-9/telemetry", "-m", $"{{\"ts\": {ts}, \"values\": {{\"temperature\": 61.5}}}}"]);
            Assert.True(exit == 0, "mosquitto_pub over TLS: " + stderr);
            var stored = await http.GetFromJsonAsync<JsonElement>($"/api/v1/devices/press-9/telemetry?keys=temperature&from={ts}&to={ts + 1}");
            Assert.Equal(61.5, stored.GetProperty("temperature")[0].GetProperty("value").GetDouble());

            // The same client without the CA refuses the self-signed certificate: TLS really is verified on that side too.
            var (untrusted, _) = await MosquittoPubAsync(["--capath", "/etc/ssl/certs", "-h", "127.0.0.1", "-p", tlsPort.ToString(CultureInfo.InvariantCulture),
                "-u", "press-9", "-P", deviceToken, "-q", "1", "-t", "fabrica/devices/press-9/telemetry", "-m", "{\"x\": 1}"]);
            Assert.NotEqual(0, untrusted);
        }

        using var registered = await http.PostAsJsonAsync("/api/v1/edges", new { id = "tls-edge", name = "TLS edge" });
        registered.EnsureSuccessStatusCode();
        var token = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var unit = new ModbusMemoryUnit(coils: 1, discreteInputs: 1, inputRegisters: 1, holdingRegisters: 10);
        unit.Write(ModbusTable.HoldingRegisters, 0, [(ushort)314]);
        await using var plc = new ModbusTcpServer(new ModbusMemoryDataModel().Add(1, unit), new ModbusServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        plc.Start();

        // Trust by CA file: connects, and its telemetry is stored.
        await using (var edge = await StartEdgeAsync(dir, "ca", token, tlsPort, plc.LocalEndPoint.Port, $"\"caFile\": \"{crt}\""))
        {
            await UntilAsync(async () => (await http.GetAsync("/api/v1/devices/tls-press/latest")) is { IsSuccessStatusCode: true } r
                && (await r.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("level", out var level) && level.GetProperty("value").GetDouble() == 314,
                "the edge's telemetry over TLS (trusted by caFile) is stored");
        }

        // Trust by pin: connects.
        await using (var edge = await StartEdgeAsync(dir, "pin", token, tlsPort, plc.LocalEndPoint.Port, $"\"pinnedSha256\": \"{fingerprint.ToUpperInvariant()}\""))
            await UntilAsync(() => Task.FromResult(edge.Link == LinkState.Connected), "the edge connects with the pinned fingerprint");

        // A wrong pin, and a CA that did not issue the server's certificate: refused, with the reason in the status.
        var wrongPin = Convert.ToHexStringLower(SHA256.HashData("another certificate"u8));
        await using (var edge = await StartEdgeAsync(dir, "wrong-pin", token, tlsPort, plc.LocalEndPoint.Port, $"\"pinnedSha256\": \"{wrongPin}\""))
            await AssertRefusedAsync(edge);
        var otherCa = Path.Combine(dir.Path, "other-ca.crt");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            using var other = new CertificateRequest("CN=Some other CA", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(otherCa, other.ExportCertificatePem());
        }
        await using (var edge = await StartEdgeAsync(dir, "wrong-ca", token, tlsPort, plc.LocalEndPoint.Port, $"\"caFile\": \"{otherCa}\""))
            await AssertRefusedAsync(edge);
    }

    private static async Task AssertRefusedAsync(EdgeRuntime edge)
    {
        await UntilAsync(() => Task.FromResult(edge.GetStatus().LastError is { } error && error.Contains("certificate", StringComparison.OrdinalIgnoreCase)),
            "the edge reports the refused certificate");
        Assert.NotEqual(LinkState.Connected, edge.Link);
    }

    private static async Task<EdgeRuntime> StartEdgeAsync(TempDirectory dir, string name, string token, int tlsPort, int plcPort, string trust)
    {
        var config = $$"""
            {
              "id": "tls-edge", "token": "{{token}}",
              "platform": {"host": "127.0.0.1", "port": {{tlsPort}}, "tls": true, {{trust}}},
              "uplink": {"statusInterval": "1s", "reconnectMin": "200ms", "reconnectMax": "1s"},
              "buffer": {"directory": "buffer-{{name}}"},
              "devices": [{
                "id": "tls-press", "adapter": "modbus", "pollPeriod": "100ms", "readTimeout": "10s",
                "settings": {"host": "127.0.0.1", "port": {{plcPort}}, "unitId": 1, "requestTimeout": "10s"},
                "tags": [{"name": "level", "address": "hr:0", "dataType": "uint16"}]
              }]
            }
            """;
        var edge = new EdgeRuntime(EdgeConfigLoader.Parse(config, name, dir.Path), new EdgeRuntimeServices { Adapters = [new ModbusDeviceAdapterFactory()] });
        await edge.StartAsync();
        return edge;
    }

    private static async Task<(int Exit, string Stderr)> MosquittoPubAsync(string[] arguments)
    {
        var info = new ProcessStartInfo("mosquitto_pub") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await stderr);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for: {what}");
            await Task.Delay(50);
        }
    }
}
