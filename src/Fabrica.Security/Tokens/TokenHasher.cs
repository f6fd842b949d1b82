using System.Security.Cryptography;
using System.Text;

namespace Fabrica.Security.Tokens;

/// <summary>
/// Salted token hashes: HMAC-SHA256 keyed with a random per-token salt over the whole token.
/// Tokens carry 256 random bits, so no dictionary or brute-force search can reach them and a slow KDF
/// (PBKDF2, Argon2) would add nothing but CPU cost on every MQTT CONNECT; those exist for low-entropy
/// passwords. The salt keeps equal inputs from producing equal rows. See docs/security.md.
/// </summary>
public static class TokenHasher
{
    public const int SaltSize = 16;
    public const int HashSize = 32;
    private const int MaxTokenBytes = 256;

    public static byte[] CreateSalt() => RandomNumberGenerator.GetBytes(SaltSize);

    public static byte[] Hash(string token, ReadOnlySpan<byte> salt)
    {
        var hash = new byte[HashSize];
        if (!TryHash(token, salt, hash))
            throw new ArgumentException("A token is at most 256 bytes long.", nameof(token));
        return hash;
    }

    /// <summary>True when <paramref name="token"/> hashes to <paramref name="expectedHash"/>; compares in constant time.</summary>
    public static bool Verify(string token, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> expectedHash)
    {
        Span<byte> actual = stackalloc byte[HashSize];
        return expectedHash.Length == HashSize
            && TryHash(token, salt, actual)
            && CryptographicOperations.FixedTimeEquals(actual, expectedHash);
    }

    private static bool TryHash(string token, ReadOnlySpan<byte> salt, Span<byte> destination)
    {
        if (Encoding.UTF8.GetMaxByteCount(token.Length) > MaxTokenBytes && Encoding.UTF8.GetByteCount(token) > MaxTokenBytes)
            return false;
        Span<byte> utf8 = stackalloc byte[MaxTokenBytes];
        var length = Encoding.UTF8.GetBytes(token, utf8);
        HMACSHA256.HashData(salt, utf8[..length], destination);
        CryptographicOperations.ZeroMemory(utf8[..length]);
        return true;
    }
}
