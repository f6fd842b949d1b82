using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using NSec.Cryptography;

namespace Fabrica.Identifiers.Signing;

/// <summary>
/// A record signed by its prefix owner, in the spirit of Handle.Net's HS_SIGNATURE: one value of type
/// <see cref="HandleTypes.Signature"/> (index <see cref="Index"/>, publicly readable) whose data lists a SHA-256 digest of
/// every other value and an Ed25519 signature over that list. Because each value has its own digest, a resolver that
/// is shown only the public values can still check each of them, and a cache or a hostile node can neither alter a
/// value nor add one; it can only withhold values, as it could anyway. Data layout (Fabrica, version 1):
/// <code>
///   Version Byte (1) | Algorithm Byte (1 = Ed25519) | Serial Int8 | Signer UTF8-String (handle) | SignerIndex Int4
///   Digests Int4 count × (Index Int4, SHA-256 of the value's RFC 3652 encoding, 32 bytes)
///   Signature Int4 length + 64 bytes, over "fabrica-hs-signature-1" ‖ UTF8-String(canonical handle) ‖ everything above
/// </code>
/// </summary>
public static class RecordSignature
{
    public const int Index = 400;
    private const byte Version = 1;
    private const byte Ed25519 = 1;
    private static readonly byte[] Context = Encoding.ASCII.GetBytes("fabrica-hs-signature-1");

    /// <summary>The record with its signature value replaced by a fresh one by <paramref name="key"/>.</summary>
    public static HandleRecord Sign(HandleRecord record, Key key, string signer, int signerIndex, long serial, long timestamp)
    {
        var values = record.Values.Where(v => v.Type != HandleTypes.Signature && v.Index != Index).ToList();
        var unsigned = new ArrayBufferWriter<byte>(128 + values.Count * 36);
        var w = new WireWriter(unsigned);
        w.WriteByte(Version);
        w.WriteByte(Ed25519);
        w.WriteInt64(serial);
        w.WriteString(signer);
        w.WriteInt32(signerIndex);
        w.WriteInt32(values.Count);
        foreach (var value in values)
        {
            w.WriteInt32(value.Index);
            w.WriteRaw(SHA256.HashData(HandleValueCodec.Encode(value)));
        }
        var signature = SignatureAlgorithm.Ed25519.Sign(key, SignedBytes(record.Handle, unsigned.WrittenSpan));
        w.WriteBytes(signature);
        values.Add(new HandleValue(Index, HandleTypes.Signature, unsigned.WrittenSpan.ToArray(), HandleValue.DefaultTtl, timestamp, ValuePermissions.Default));
        return HandleRecord.Create(record.Handle, values);
    }

    /// <summary>
    /// Checks the values a resolver received for <paramref name="handle"/> against the record's signature and
    /// <paramref name="trusted"/> keys. Every value other than the signature must be listed with a matching digest.
    /// </summary>
    public static SignatureCheck Verify(HandleName handle, IReadOnlyList<HandleValue> values, IReadOnlyCollection<PublicKey> trusted)
    {
        var signatureValue = values.FirstOrDefault(v => v.Type == HandleTypes.Signature);
        if (signatureValue is null)
            return SignatureCheck.Fail("the record carries no HS_SIGNATURE");
        try
        {
            var data = signatureValue.Data.Span;
            var r = new WireReader(data);
            if (r.ReadByte() != Version || r.ReadByte() != Ed25519)
                return SignatureCheck.Fail("unknown signature version or algorithm");
            var serial = r.ReadInt64();
            var signer = r.ReadString(HandleName.MaxUtf8Length, "signer");
            r.ReadInt32();
            var count = r.ReadCount(HandleRecord.MaxValues, 36, "digests");
            var digests = new Dictionary<int, byte[]>(count);
            for (var i = 0; i < count; i++)
                digests[r.ReadInt32()] = r.ReadFixed(32).ToArray();
            var signedLength = r.Position;
            var signature = r.ReadBytes(64, "signature").ToArray();
            r.ExpectEnd("HS_SIGNATURE");
            var message = SignedBytes(handle, data[..signedLength]);
            if (!trusted.Any(key => SignatureAlgorithm.Ed25519.Verify(key, message, signature)))
                return SignatureCheck.Fail($"the signature by {signer} does not verify with a trusted key");
            foreach (var value in values)
            {
                if (ReferenceEquals(value, signatureValue))
                    continue;
                if (!digests.TryGetValue(value.Index, out var digest) || !digest.AsSpan().SequenceEqual(SHA256.HashData(HandleValueCodec.Encode(value))))
                    return SignatureCheck.Fail($"value {value.Index} ({value.Type}) does not match the signed digest");
            }
            return new SignatureCheck(true, serial, null);
        }
        catch (HandleProtocolException e)
        {
            return SignatureCheck.Fail("malformed HS_SIGNATURE: " + e.Message);
        }
    }

    private static byte[] SignedBytes(HandleName handle, ReadOnlySpan<byte> unsigned)
    {
        var buffer = new ArrayBufferWriter<byte>(Context.Length + 64 + unsigned.Length);
        var w = new WireWriter(buffer);
        w.WriteRaw(Context);
        w.WriteString(handle.ToString());
        w.WriteRaw(unsigned);
        return buffer.WrittenSpan.ToArray();
    }
}

public sealed record SignatureCheck(bool Valid, long Serial, string? Problem)
{
    public static SignatureCheck Fail(string problem) => new(false, 0, problem);
}
