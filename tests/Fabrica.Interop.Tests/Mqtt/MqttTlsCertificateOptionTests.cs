using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fabrica.Interop.Tests.Infrastructure;

namespace Fabrica.Interop.Tests.Mqtt;

/// <summary><c>fabrica serve --mqtt-tls-port N --tls-cert FILE</c>: the operator's certificate instead of a generated one.</summary>
public sealed class MqttTlsCertificateOptionTests
{
    [Fact]
    public async Task A_pem_certificate_given_with_tls_cert_is_served_and_trusted_by_mosquitto_pub()
    {
        using var dir = new TempDirectory();
        var pem = Path.Combine(dir.Path, "server.pem");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            File.WriteAllText(pem, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n");
        }
        var expected = Convert.ToHexStringLower(SHA256.HashData(X509Certificate2.CreateFromPem(File.ReadAllText(pem)).RawData));

        var data = Path.Combine(dir.Path, "data");
        using var server = await ServerProcess.StartAsync(data, extraArguments: ["--mqtt-tls-port", "0", "--tls-cert", pem]);
        Assert.Equal(expected, server.TlsFingerprint);
        Assert.False(File.Exists(Path.Combine(data, "mqtt-tls.pfx")), "nothing is generated when a certificate is given");

        using var client = new PlatformClient(server);
        var token = await client.RegisterDeviceAsync("press-3");
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var info = new ProcessStartInfo("mosquitto_pub") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--cafile", pem, "-h", "127.0.0.1", "-p", server.MqttTlsPort!.Value.ToString(CultureInfo.InvariantCulture),
                     "-V", "mqttv311", "-i", "press-3", "-u", "press-3", "-P", token, "-q", "1",
                     "-t", "fabrica/devices/press-3/telemetry", "-m", $"{{\"ts\": {ts}, \"values\": {{\"rpm\": 1500}}}}" })
            info.ArgumentList.Add(argument);
        using (var process = Process.Start(info)!)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(process.ExitCode == 0, "mosquitto_pub: " + await stderr);
        }
        var stored = await client.ReadRawAsync("press-3", "rpm", ts, ts + 1);
        Assert.Equal([(ts, 1500.0)], stored);
    }

    [Fact]
    public async Task A_certificate_file_without_a_private_key_is_refused_at_start_with_the_reason()
    {
        using var dir = new TempDirectory();
        var pem = Path.Combine(dir.Path, "public-only.pem");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            using var certificate = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(pem, certificate.ExportCertificatePem());
        }
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { ServerProcess.FabricaDll, "serve", "--data", Path.Combine(dir.Path, "data"), "--http-port", "0", "--mqtt-port", "0",
                     "--handle-port", "0", "--dns-port", "0", "--bind", "127.0.0.1", "--mqtt-tls-port", "0", "--tls-cert", pem })
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var output = await stdout + await stderr;
        Assert.NotEqual(0, process.ExitCode);
        Assert.DoesNotContain("fabrica ready", output, StringComparison.Ordinal);
        Assert.Contains("public-only.pem", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal); // a reason, not a stack trace
    }
}
