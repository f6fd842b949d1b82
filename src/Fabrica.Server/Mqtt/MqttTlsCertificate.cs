using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fabrica.Server.Hosting;

namespace Fabrica.Server.Mqtt;

/// <summary>
/// The certificate of the MQTT over TLS listener (<c>fabrica serve --mqtt-tls-port N</c>, docs/security.md "MQTT
/// over TLS"): the operator's (<c>--tls-cert</c>: PEM with certificate and private key, or PFX/PKCS#12), else a
/// self-signed one generated on first start into the data directory (<c>mqtt-tls.pfx</c>, its public part as
/// <c>mqtt-tls.crt</c> for clients' CA file) and reused afterwards. Its SHA-256 fingerprint is what edges pin.
/// </summary>
public sealed record MqttTlsCertificate(X509Certificate2 Certificate, string Source, bool Generated)
{
    public const string GeneratedPfx = "mqtt-tls.pfx";
    public const string GeneratedCrt = "mqtt-tls.crt";

    /// <summary>SHA-256 of the certificate's DER bytes, 64 lowercase hex digits (what <c>platform.pinnedSha256</c> takes).</summary>
    public string Sha256Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Certificate.RawData));

    /// <summary>Loads the configured certificate or the generated one (generating it on first use).</summary>
    /// <exception cref="ArgumentException">The file cannot be read or holds no private key; the message says why (the CLI reports it as a configuration error).</exception>
    public static MqttTlsCertificate Load(FabricaServerOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TlsCertificateFile is { Length: > 0 } file)
            return new MqttTlsCertificate(LoadFile(file, options.TlsCertificatePassword), Path.GetFullPath(file), false);
        var pfx = Path.Combine(options.DataDirectory, GeneratedPfx);
        if (File.Exists(pfx))
            return new MqttTlsCertificate(LoadFile(pfx, null), Path.GetFullPath(pfx), false);
        var generated = Generate(time);
        // Written once, readable by the owner only: it holds the private key.
        File.WriteAllBytes(pfx, generated.Export(X509ContentType.Pfx));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(pfx, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(Path.Combine(options.DataDirectory, GeneratedCrt), generated.ExportCertificatePem() + "\n");
        return new MqttTlsCertificate(LoadFile(pfx, null), Path.GetFullPath(pfx), true);
    }

    private static X509Certificate2 LoadFile(string file, string? password)
    {
        try
        {
            var extension = Path.GetExtension(file).ToLowerInvariant();
            var certificate = extension is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(file, password, X509KeyStorageFlags.Exportable)
                : X509Certificate2.CreateFromPemFile(file);
            if (!certificate.HasPrivateKey)
                throw new ArgumentException($"'{file}' holds no private key; a PEM file needs the certificate and its key (BEGIN PRIVATE KEY).");
            // SslStream on Linux needs a key it can use outside the PEM object: round-trip through PKCS#12.
            return extension is ".pfx" or ".p12" ? certificate : X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"Cannot read the TLS certificate '{file}': {e.Message}", e);
        }
    }

    /// <summary>ECDSA P-256, valid five years, for localhost, the loopback addresses and this machine's name.</summary>
    private static X509Certificate2 Generate(TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=Fabrica MQTT ({Environment.MachineName})", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(Environment.MachineName);
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = time.GetUtcNow();
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(5));
    }
}
