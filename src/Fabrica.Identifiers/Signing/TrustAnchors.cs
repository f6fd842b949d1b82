using NSec.Cryptography;

namespace Fabrica.Identifiers.Signing;

/// <summary>The root keys a resolver trusts (<c>--root-key</c>), as DNSSEC's trust anchors: Ed25519 public keys, hex, one per line.</summary>
public static class TrustAnchors
{
    /// <summary>Reads the keys of <paramref name="path"/>; blank lines and <c>#</c> comments are ignored.</summary>
    public static IReadOnlyList<PublicKey> Read(string path)
    {
        var keys = new List<PublicKey>();
        foreach (var line in File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            byte[] raw;
            try
            {
                raw = Convert.FromHexString(line);
            }
            catch (FormatException)
            {
                throw new ArgumentException($"{path}: '{line}' is not a hex Ed25519 public key.");
            }
            if (raw.Length != 32)
                throw new ArgumentException($"{path}: an Ed25519 public key is 32 bytes (64 hex digits), not {raw.Length}.");
            keys.Add(Ed25519Keys.ImportPublic(raw));
        }
        return keys.Count > 0 ? keys : throw new ArgumentException($"{path} holds no public key.");
    }
}
