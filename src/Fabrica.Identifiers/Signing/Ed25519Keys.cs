using System.Buffers;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using NSec.Cryptography;

namespace Fabrica.Identifiers.Signing;

/// <summary>
/// Ed25519 keys as Fabrica stores them in HS_PUBKEY values and key files. The HS_PUBKEY layout follows Handle.Net's
/// public-key record (a UTF8-String key type, an Int2 of flags, then the key material): <c>"Ed25519" | 0 | Int4 32 | key</c>.
/// </summary>
public static class Ed25519Keys
{
    public const string KeyType = "Ed25519";
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    public static Key Generate() => Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    public static byte[] ExportPrivate(Key key) => key.Export(KeyBlobFormat.RawPrivateKey);

    public static Key ImportPrivate(ReadOnlySpan<byte> raw) =>
        Key.Import(Algorithm, raw, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    public static byte[] ExportPublic(Key key) => key.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    public static PublicKey ImportPublic(ReadOnlySpan<byte> raw) => PublicKey.Import(Algorithm, raw, KeyBlobFormat.RawPublicKey);

    /// <summary>The data of an HS_PUBKEY value holding <paramref name="publicKey"/> (32 raw bytes).</summary>
    public static byte[] ToHsPubKey(ReadOnlySpan<byte> publicKey)
    {
        var buffer = new ArrayBufferWriter<byte>(48);
        var w = new WireWriter(buffer);
        w.WriteString(KeyType);
        w.WriteUInt16(0);
        w.WriteBytes(publicKey);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an Ed25519 HS_PUBKEY; null for other key types (RSA, DSA) or malformed data.</summary>
    public static PublicKey? FromHsPubKey(ReadOnlySpan<byte> data)
    {
        try
        {
            var r = new WireReader(data);
            if (r.ReadString(64, "key type") != KeyType)
                return null;
            r.ReadUInt16();
            var raw = r.ReadBytes(64, "Ed25519 key");
            r.ExpectEnd("HS_PUBKEY");
            return raw.Length == 32 ? ImportPublic(raw) : null;
        }
        catch (HandleProtocolException)
        {
            return null;
        }
    }

    public static HandleValue PublicKeyValue(int index, Key key, int ttl = HandleValue.DefaultTtl) =>
        new(index, HandleTypes.PublicKey, ToHsPubKey(ExportPublic(key)), ttl);

    /// <summary>Key files hold the raw key as hex text on one line: 32 bytes private, or 32 bytes public (trust anchors).</summary>
    public static byte[] ReadKeyFile(string path) => Convert.FromHexString(File.ReadAllText(path).Trim());
}
