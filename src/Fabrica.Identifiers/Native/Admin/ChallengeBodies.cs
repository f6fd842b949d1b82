using System.Buffers;
using Fabrica.Identifiers.Model;

namespace Fabrica.Identifiers.Native.Admin;

/// <summary>A server's challenge (RFC 3652 §3.5.1): the digest of the request it answers, and a nonce to sign.</summary>
public sealed record Challenge(byte DigestType, ReadOnlyMemory<byte> RequestDigest, ReadOnlyMemory<byte> Nonce);

/// <summary>
/// A client's answer to a challenge (RFC 3652 §3.5.2, opcode 200): how it authenticates (<c>HS_PUBKEY</c>), which key
/// value identifies it, and the signed response (<see cref="SignedResponse"/>).
/// </summary>
public sealed record ChallengeAnswer(string AuthType, string KeyHandle, int KeyIndex, ReadOnlyMemory<byte> SignedResponse);

/// <summary>
/// Bodies of the challenge–response exchange, as CNRI's <c>Encoder.encodeChallenge</c> and <c>encodeChallengeAnswer</c>
/// write them for protocol 2.1 and later:
/// <code>
///   Challenge (response code 402, RRDG flag set):  DigestType Byte (3 = SHA-256) | Digest | Nonce Int4 length + bytes
///   Answer (opcode 200):  AuthType UTF8-String | KeyHandle UTF8-String | KeyIndex Int4 | SignedResponse Int4 length + bytes
///   SignedResponse (CNRI PublicKeyAuthenticationInfo.authenticate):  SigHashType Int4 length + bytes | Signature Int4 length + bytes
/// </code>
/// </summary>
public static class ChallengeBodies
{
    /// <summary>CNRI's <c>Common.HASH_CODE_SHA256</c>: the request digest of protocol 2.7 and later.</summary>
    public const byte Sha256 = 3;

    /// <summary>CNRI's <c>Common.CHALLENGE_NONCE_SIZE</c>.</summary>
    public const int NonceSize = 16;

    public const string PublicKeyAuthType = "HS_PUBKEY";

    /// <summary>
    /// The signature-algorithm name Fabrica writes where CNRI writes a hash name (<c>"SHA-256"</c> for SHA256withRSA):
    /// Ed25519 hashes internally, so the field names the algorithm itself.
    /// </summary>
    public const string Ed25519SignatureType = "Ed25519";

    public static byte[] WriteChallenge(Challenge challenge)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var w = new WireWriter(buffer);
        w.WriteByte(challenge.DigestType);
        w.WriteRaw(challenge.RequestDigest.Span);
        w.WriteBytes(challenge.Nonce.Span);
        return buffer.WrittenSpan.ToArray();
    }

    public static Challenge ReadChallenge(ReadOnlySpan<byte> body)
    {
        var r = new WireReader(body);
        var type = r.ReadByte();
        var length = type switch
        {
            1 => 16,
            2 => 20,
            Sha256 => 32,
            _ => HandleProtocolException.Throw<int>($"Challenge: unknown digest type {type}."),
        };
        var digest = r.ReadFixed(length).ToArray();
        var nonce = r.ReadBytes(256, "challenge nonce").ToArray();
        r.ExpectEnd("challenge");
        return new Challenge(type, digest, nonce);
    }

    public static byte[] WriteAnswer(ChallengeAnswer answer)
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        var w = new WireWriter(buffer);
        w.WriteString(answer.AuthType);
        w.WriteString(answer.KeyHandle);
        w.WriteInt32(answer.KeyIndex);
        w.WriteBytes(answer.SignedResponse.Span);
        return buffer.WrittenSpan.ToArray();
    }

    public static ChallengeAnswer ReadAnswer(ReadOnlySpan<byte> body)
    {
        var r = new WireReader(body);
        var authType = r.ReadString(64, "authentication type");
        var handle = r.ReadString(HandleName.MaxUtf8Length, "key handle");
        var index = r.ReadInt32();
        var signed = r.ReadBytes(16 * 1024, "signed response").ToArray();
        r.ExpectEnd("challenge answer");
        return new ChallengeAnswer(authType, handle, index, signed);
    }

    public static byte[] WriteSignedResponse(string signatureType, ReadOnlySpan<byte> signature)
    {
        var buffer = new ArrayBufferWriter<byte>(96);
        var w = new WireWriter(buffer);
        w.WriteString(signatureType);
        w.WriteBytes(signature);
        return buffer.WrittenSpan.ToArray();
    }

    public static (string SignatureType, byte[] Signature) ReadSignedResponse(ReadOnlySpan<byte> data)
    {
        var r = new WireReader(data);
        var type = r.ReadString(64, "signature type");
        var signature = r.ReadBytes(8 * 1024, "signature").ToArray();
        r.ExpectEnd("signed response");
        return (type, signature);
    }

    /// <summary>What the client signs: the nonce, then the request digest (CNRI: <c>signer.update(nonce); signer.update(requestDigest)</c>).</summary>
    public static byte[] SignedBytes(Challenge challenge) => [.. challenge.Nonce.Span, .. challenge.RequestDigest.Span];
}
