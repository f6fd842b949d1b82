using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fabrica.Edge.Configuration;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace Fabrica.Edge.Uplink;

/// <summary>
/// How the edge trusts the platform's MQTT TLS certificate (<c>"platform": {"tls": true, …}</c>, docs/edge.md "TLS").
/// Never "accept anything": with <c>pinnedSha256</c> the server's certificate must have exactly that SHA-256
/// fingerprint (of its DER bytes, as <c>fabrica serve</c> prints it); with <c>caFile</c> its chain must end in one of
/// the PEM certificates in that file and its name must match <c>platform.host</c>; with neither, the operating
/// system's trust store and the host name decide.
/// </summary>
internal static class PlatformTls
{
    public static MqttClientOptionsBuilder Apply(MqttClientOptionsBuilder builder, PlatformEndpoint platform, ILogger logger)
    {
        if (!platform.Tls)
            return builder;
        var pin = NormalizeFingerprint(platform.PinnedSha256);
        X509Certificate2Collection? roots = null;
        if (platform.CaFile is { Length: > 0 } caFile)
        {
            roots = [];
            roots.ImportFromPemFile(caFile);
        }
        return builder.WithTlsOptions(tls => tls
            .UseTls()
            .WithTargetHost(platform.Host)
            .WithCertificateValidationHandler(args =>
            {
                var accepted = Validate(args.Certificate is null ? null : new X509Certificate2(args.Certificate), args.SslPolicyErrors, pin, roots, out var reason);
                if (!accepted)
                    Log.TlsRefused(logger, platform.Host, platform.Port, reason);
                return accepted;
            }));
    }

    /// <summary>The trust decision, separated from MQTTnet so that it can be reasoned about (and tested) alone.</summary>
    public static bool Validate(X509Certificate2? certificate, SslPolicyErrors errors, string? pin, X509Certificate2Collection? roots, out string reason)
    {
        reason = "";
        if (certificate is null)
        {
            reason = "the server sent no certificate";
            return false;
        }
        if (pin is not null)
        {
            // A pin names the one certificate to accept: chain and name do not matter (self-signed is the common case).
            var actual = Fingerprint(certificate);
            if (actual == pin)
                return true;
            reason = $"its SHA-256 fingerprint {actual} is not the pinned {pin}";
            return false;
        }
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            reason = "its name does not match the configured host";
            return false;
        }
        if (roots is null)
        {
            if (errors == SslPolicyErrors.None)
                return true;
            reason = $"it is not trusted by this system ({errors}); set platform.caFile or platform.pinnedSha256";
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain.Build(certificate))
            return true;
        reason = "its chain does not end in a certificate of platform.caFile (" + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim())) + ")";
        return false;
    }

    /// <summary>SHA-256 of the certificate's DER bytes as 64 lowercase hex digits.</summary>
    public static string Fingerprint(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    /// <summary>Accepts <c>AB:CD:…</c>, <c>ab cd …</c> or plain hex; null when unset.</summary>
    public static string? NormalizeFingerprint(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : new string(text.Where(Uri.IsHexDigit).ToArray()).ToLowerInvariant();
}

/// <summary>Log messages of the uplink's TLS (event ids 3270–3274).</summary>
internal static partial class Log
{
    [LoggerMessage(3270, LogLevel.Error, "Refusing the TLS certificate of {Host}:{Port}: {Reason}")]
    public static partial void TlsRefused(ILogger logger, string host, int port, string reason);
}
