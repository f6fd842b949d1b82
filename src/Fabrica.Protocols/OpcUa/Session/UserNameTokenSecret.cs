using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Fabrica.Protocols.OpcUa.Session;

/// <summary>
/// The password of a UserNameIdentityToken as the token's security policy requires (OPC 10000-4 §7.36.4). Under
/// SecurityPolicy None it goes as UTF-8. Under an RSA policy it is the legacy encrypted token secret (§7.36.2.2):
/// <code>
/// +----------------+-----------------+---------------------+
/// | Length UInt32  | Password UTF-8  | ServerNonce (last)  |   encrypted with the server certificate's RSA key,
/// +----------------+-----------------+---------------------+   block by block, with the policy's asymmetric padding
/// </code>
/// Length counts the password and nonce bytes. This works over a None channel too: the server announces user-name
/// policies that name an RSA policy (node-opcua does), so the password never crosses the wire in clear.
/// </summary>
internal static class UserNameTokenSecret
{
    private const string RsaOaepSha1 = "http://www.w3.org/2001/04/xmlenc#rsa-oaep";
    private const string RsaOaepSha256 = "http://opcfoundation.org/UA/security/rsa-oaep-sha2-256";

    /// <summary>Token security policies whose password encryption this client implements, best first.</summary>
    public static readonly string[] SupportedPolicies =
    [
        "http://opcfoundation.org/UA/SecurityPolicy#Aes256_Sha256_RsaPss",
        "http://opcfoundation.org/UA/SecurityPolicy#Aes128_Sha256_RsaOaep",
        "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256",
        "http://opcfoundation.org/UA/SecurityPolicy#Basic256",
    ];

    public static bool IsEncrypting(string policyUri) => Array.IndexOf(SupportedPolicies, policyUri) >= 0;

    /// <summary>The token's Password and EncryptionAlgorithm fields for <paramref name="policyUri"/>.</summary>
    public static (byte[] Password, string? Algorithm) Create(string policyUri, string password, byte[]? serverNonce, byte[]? serverCertificate)
    {
        var secret = Encoding.UTF8.GetBytes(password);
        if (!IsEncrypting(policyUri))
        {
            return (secret, null);
        }
        if (serverCertificate is not { Length: > 0 })
        {
            throw new OpcUaServiceException(StatusCodes.BadCertificateInvalid, "the server sent no certificate to encrypt the password with");
        }
        if (serverNonce is not { Length: >= 32 })
        {
            throw new OpcUaServiceException(StatusCodes.BadNonceInvalid, "the server sent no nonce (at least 32 bytes) to encrypt the password with");
        }
        var (padding, algorithm) = policyUri.EndsWith("#Aes256_Sha256_RsaPss", StringComparison.Ordinal)
            ? (RSAEncryptionPadding.OaepSHA256, RsaOaepSha256)
            : (RSAEncryptionPadding.OaepSHA1, RsaOaepSha1);
        var plain = new byte[4 + secret.Length + serverNonce.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(plain, (uint)(secret.Length + serverNonce.Length));
        secret.CopyTo(plain, 4);
        serverNonce.CopyTo(plain, 4 + secret.Length);
        CryptographicOperations.ZeroMemory(secret);
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(FirstCertificate(serverCertificate));
            using var rsa = certificate.GetRSAPublicKey()
                ?? throw new OpcUaServiceException(StatusCodes.BadCertificateInvalid, "the server certificate has no RSA key");
            return (EncryptBlocks(rsa, plain, padding), algorithm);
        }
        catch (CryptographicException e)
        {
            throw new OpcUaServiceException(StatusCodes.BadCertificateInvalid, $"cannot encrypt the password with the server certificate: {e.Message}", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>RSA encrypts at most key size minus padding overhead per block; longer secrets take several blocks.</summary>
    private static byte[] EncryptBlocks(RSA rsa, byte[] plain, RSAEncryptionPadding padding)
    {
        var keyBytes = rsa.KeySize / 8;
        var hashBytes = padding == RSAEncryptionPadding.OaepSHA256 ? 32 : 20;
        var blockSize = keyBytes - (2 * hashBytes) - 2;
        var blocks = (plain.Length + blockSize - 1) / blockSize;
        var encrypted = new byte[blocks * keyBytes];
        for (var i = 0; i < blocks; i++)
        {
            var block = plain.AsSpan(i * blockSize, Math.Min(blockSize, plain.Length - (i * blockSize)));
            rsa.Encrypt(block, encrypted.AsSpan(i * keyBytes, keyBytes), padding);
        }
        return encrypted;
    }

    /// <summary>ServerCertificate may be a chain of DER certificates back to back; the first is the server's.</summary>
    private static byte[] FirstCertificate(byte[] chain)
    {
        AsnDecoder.ReadEncodedValue(chain, AsnEncodingRules.DER, out _, out _, out var length);
        return length == chain.Length ? chain : chain[..length];
    }
}
