namespace Fabrica.Protocols.OpcUa.SecureChannel;

/// <summary>MessageSecurityMode (OPC 10000-4 §7.20).</summary>
public enum MessageSecurityMode
{
    Invalid = 0,
    None = 1,
    Sign = 2,
    SignAndEncrypt = 3,
}

/// <summary>
/// What a security policy does to secure-conversation chunks (OPC 10000-6 §6.7.2, OPC 10000-7 policies).
/// The channel frames every chunk as header, security header, sequence header, body; a policy adds padding and
/// a signature after the body and may encrypt from the sequence header on. The channel asks the policy how much
/// room that takes (so it can size chunk bodies to the negotiated buffer) and hands it each finished chunk.
/// <para>
/// <see cref="SecurityPolicyNone"/> is the only policy so far. Basic256Sha256 and Aes128_Sha256_RsaOaep fit the
/// same shape: asymmetric RSA for OPN chunks (certificates and thumbprint in the asymmetric header), keys derived
/// from the OPN nonces (P_SHA256) for symmetric HMAC-SHA256 signing and AES-CBC encryption of MSG/CLO chunks,
/// all from <c>System.Security.Cryptography</c>.
/// </para>
/// </summary>
public abstract class ChannelSecurityPolicy
{
    public abstract string Uri { get; }

    public abstract MessageSecurityMode Mode { get; }

    /// <summary>The SenderCertificate of the asymmetric security header (null without security).</summary>
    public abstract byte[]? SenderCertificate { get; }

    /// <summary>The ReceiverCertificateThumbprint of the asymmetric security header.</summary>
    public abstract byte[]? ReceiverCertificateThumbprint { get; }

    /// <summary>The client nonce for OpenSecureChannel (its length is fixed by the policy; empty for None).</summary>
    public abstract byte[] CreateClientNonce();

    /// <summary>Takes the server nonce from an OpenSecureChannel response and derives the symmetric keys.</summary>
    public abstract void DeriveKeys(byte[] clientNonce, byte[]? serverNonce);

    /// <summary>Bytes a chunk needs after its body for padding and signature, at most, for a body of up to <paramref name="maxBody"/> bytes.</summary>
    public abstract int MaxChunkOverhead(bool asymmetric, int maxBody);

    /// <summary>
    /// Secures a chunk in place: <paramref name="chunk"/> holds header to body; the policy appends padding and a
    /// signature within <paramref name="capacity"/>, encrypts, and returns the final chunk length (the caller then
    /// writes that length into the message header before this call — policies sign it).
    /// </summary>
    public abstract int Secure(Span<byte> chunk, int length, int capacity, int securedFrom, bool asymmetric);

    /// <summary>
    /// Verifies and decrypts a received chunk in place and returns the length of its plaintext up to the end of the
    /// body (padding and signature removed). Throws <see cref="OpcUaServiceException"/> (BadSecurityChecksFailed).
    /// </summary>
    public abstract int Unsecure(Span<byte> chunk, int securedFrom, bool asymmetric);
}

/// <summary>SecurityPolicy None (OPC 10000-7): no signature, no encryption, no nonces.</summary>
public sealed class SecurityPolicyNone : ChannelSecurityPolicy
{
    public const string PolicyUri = "http://opcfoundation.org/UA/SecurityPolicy#None";

    public static SecurityPolicyNone Instance { get; } = new();

    public override string Uri => PolicyUri;

    public override MessageSecurityMode Mode => MessageSecurityMode.None;

    public override byte[]? SenderCertificate => null;

    public override byte[]? ReceiverCertificateThumbprint => null;

    public override byte[] CreateClientNonce() => [];

    public override void DeriveKeys(byte[] clientNonce, byte[]? serverNonce)
    {
    }

    public override int MaxChunkOverhead(bool asymmetric, int maxBody) => 0;

    public override int Secure(Span<byte> chunk, int length, int capacity, int securedFrom, bool asymmetric) => length;

    public override int Unsecure(Span<byte> chunk, int securedFrom, bool asymmetric) => chunk.Length;
}
