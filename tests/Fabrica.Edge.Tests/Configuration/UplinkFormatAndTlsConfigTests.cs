using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Uplink;
using Fabrica.Edge.Uplink.Sparkplug;
using Fabrica.Protocols.Sparkplug;

namespace Fabrica.Edge.Tests.Configuration;

/// <summary>The uplink's <c>format</c> and <c>platform</c> TLS settings (docs/edge.md, "Uplink formats" and "TLS").</summary>
public sealed class UplinkFormatAndTlsConfigTests
{
    private static string Config(string uplink, string platform) => $$"""
        {
          "id": "line1-edge", "token": "fbg_secret",
          "platform": { "host": "fabrica.local", "port": 8883 {{platform}} },
          "uplink": { {{uplink}} },
          "devices": [{ "id": "press-7", "adapter": "modbus", "settings": {}, "tags": [
            { "name": "count", "address": "hr:0", "dataType": "uint16" },
            { "name": "temperature", "address": "hr:1", "dataType": "int16", "scale": 0.1 },
            { "name": "running", "address": "coil:1" },
            { "name": "label", "address": "hr:10", "dataType": "string" } ] }]
        }
        """;

    [Fact]
    public void Sparkplug_is_an_uplink_format_with_a_group_id_and_other_formats_are_refused()
    {
        var options = EdgeConfigLoader.Parse(Config("\"format\": \"sparkplug\", \"sparkplugGroupId\": \"plant1\"", ""), "edge.json", "/etc/fabrica");
        Assert.Equal("sparkplug", options.Uplink.Format);
        Assert.Equal("plant1", options.Uplink.SparkplugGroupId);
        Assert.Equal("fabrica", EdgeConfigLoader.Parse(Config("\"format\": \"sparkplug\"", ""), "edge.json", "/").Uplink.SparkplugGroupId);

        var e = Assert.Throws<EdgeConfigException>(() => EdgeConfigLoader.Parse(Config("\"format\": \"opc-ua-pubsub\"", ""), "edge.json", "/"));
        Assert.Contains(e.Errors, x => x.Path == "$.uplink.format" && x.Message.Contains("sparkplug", StringComparison.Ordinal));
        e = Assert.Throws<EdgeConfigException>(() => EdgeConfigLoader.Parse(Config("\"format\": \"sparkplug\", \"sparkplugGroupId\": \"a/b\"", ""), "edge.json", "/"));
        Assert.Contains(e.Errors, x => x.Path == "$.uplink.sparkplugGroupId");
    }

    [Fact]
    public void Births_declare_each_tag_with_a_datatype_from_its_configuration()
    {
        var tags = EdgeConfigLoader.Parse(Config("", ""), "edge.json", "/").Devices[0].Tags;
        Assert.Equal([SparkplugDataType.Int64, SparkplugDataType.Double, SparkplugDataType.Boolean, SparkplugDataType.String], tags.Select(SparkplugTagTypes.Of));
    }

    [Fact]
    public void Tls_trust_settings_are_checked_and_a_relative_ca_file_is_relative_to_the_configuration()
    {
        var pin = new string('a', 64);
        var options = EdgeConfigLoader.Parse(Config("", ", \"tls\": true, \"caFile\": \"certs/ca.crt\""), "edge.json", "/etc/fabrica");
        Assert.Equal("/etc/fabrica/certs/ca.crt", options.Platform.CaFile);
        Assert.Equal(pin, EdgeConfigLoader.Parse(Config("", $", \"tls\": true, \"pinnedSha256\": \"{pin}\""), "edge.json", "/").Platform.PinnedSha256);

        var e = Assert.Throws<EdgeConfigException>(() => EdgeConfigLoader.Parse(Config("", ", \"tls\": true, \"pinnedSha256\": \"ab:cd\""), "edge.json", "/"));
        Assert.Contains(e.Errors, x => x.Path == "$.platform.pinnedSha256");
        e = Assert.Throws<EdgeConfigException>(() => EdgeConfigLoader.Parse(Config("", $", \"pinnedSha256\": \"{pin}\""), "edge.json", "/"));
        Assert.Contains(e.Errors, x => x.Path == "$.platform.tls");
    }

    [Fact]
    public void Trust_accepts_only_the_pinned_certificate_or_one_chaining_to_the_ca_file_never_anything_else()
    {
        using var server = SelfSigned("CN=platform");
        using var other = SelfSigned("CN=impostor");
        var pin = PlatformTls.NormalizeFingerprint(string.Join(':', Convert.ToHexString(SHA256.HashData(server.RawData)).Chunk(2).Select(c => new string(c))));

        // A pin ignores chain errors (self-signed) but nothing else.
        Assert.True(PlatformTls.Validate(server, SslPolicyErrors.RemoteCertificateChainErrors, pin, null, out _));
        Assert.False(PlatformTls.Validate(other, SslPolicyErrors.RemoteCertificateChainErrors, pin, null, out var reason));
        Assert.Contains("fingerprint", reason, StringComparison.Ordinal);

        // A CA file: the chain must end there, and the name must match.
        X509Certificate2Collection roots = [X509CertificateLoader.LoadCertificate(server.RawData)];
        Assert.True(PlatformTls.Validate(server, SslPolicyErrors.RemoteCertificateChainErrors, null, roots, out _));
        Assert.False(PlatformTls.Validate(other, SslPolicyErrors.RemoteCertificateChainErrors, null, roots, out _));
        Assert.False(PlatformTls.Validate(server, SslPolicyErrors.RemoteCertificateNameMismatch, null, roots, out _));

        // Neither: the system's verdict, untouched.
        Assert.False(PlatformTls.Validate(server, SslPolicyErrors.RemoteCertificateChainErrors, null, null, out _));
        Assert.False(PlatformTls.Validate(null, SslPolicyErrors.None, null, null, out _));
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
