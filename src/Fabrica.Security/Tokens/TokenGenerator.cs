using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Fabrica.Security.Principals;

namespace Fabrica.Security.Tokens;

/// <summary>
/// Creates and recognises Fabrica tokens. A token reads
/// <code>
///  fbd_ | lookup id: 16 chars      | secret: 43 chars
///  ---- + ------------------------ + -------------------------------------------
///  kind | base64url of 96 random   | base64url of 256 random bits (CSPRNG)
///       | bits, stored in clear    | never stored; only a salted hash of the whole token
/// </code>
/// The prefix names the kind (<c>fbd_</c> device, <c>fbg_</c> gateway, <c>fba_</c> API) so that people, log
/// filters and secret scanners recognise a leaked token (<c>fb[dga]_[A-Za-z0-9_-]{59}</c>). The lookup id makes
/// verification one indexed query plus one constant-time compare, never a scan over stored hashes.
/// </summary>
public static class TokenGenerator
{
    public const int LookupIdBytes = 12;
    public const int SecretBytes = 32;
    public const int PrefixLength = 4;
    public const int LookupIdLength = 16; // 12 bytes in base64url, no padding
    public const int SecretLength = 43;   // 32 bytes in base64url, no padding
    public const int TokenLength = PrefixLength + LookupIdLength + SecretLength;

    public const string DevicePrefix = "fbd_";
    public const string GatewayPrefix = "fbg_";
    public const string ApiPrefix = "fba_";

    /// <summary>A new token of <paramref name="kind"/>. The caller shows it once and stores only its hash.</summary>
    public static IssuedToken Create(PrincipalKind kind)
    {
        Span<byte> random = stackalloc byte[LookupIdBytes + SecretBytes];
        RandomNumberGenerator.Fill(random);
        Span<char> chars = stackalloc char[TokenLength];
        PrefixOf(kind).CopyTo(chars);
        Base64Url.EncodeToChars(random[..LookupIdBytes], chars.Slice(PrefixLength, LookupIdLength));
        Base64Url.EncodeToChars(random[LookupIdBytes..], chars[(PrefixLength + LookupIdLength)..]);
        CryptographicOperations.ZeroMemory(random);
        var token = new string(chars);
        return new IssuedToken(kind, token.Substring(PrefixLength, LookupIdLength), token);
    }

    /// <summary>
    /// Splits a presented token without touching storage. False for anything that is not a well-formed
    /// Fabrica token, so garbage is refused before a query is made.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? token, out PrincipalKind kind, [NotNullWhen(true)] out string? lookupId)
    {
        kind = default;
        lookupId = null;
        if (token is null || token.Length != TokenLength)
            return false;
        if (!TryGetKind(token, out kind))
            return false;
        foreach (var c in token.AsSpan(PrefixLength))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                return false;
        }
        lookupId = token.Substring(PrefixLength, LookupIdLength);
        return true;
    }

    /// <summary>The kind a token claims by its prefix; says nothing about whether it is valid.</summary>
    public static bool TryGetKind(ReadOnlySpan<char> token, out PrincipalKind kind)
    {
        kind = token.StartsWith(DevicePrefix, StringComparison.Ordinal) ? PrincipalKind.Device
            : token.StartsWith(GatewayPrefix, StringComparison.Ordinal) ? PrincipalKind.Gateway
            : token.StartsWith(ApiPrefix, StringComparison.Ordinal) ? PrincipalKind.ApiToken
            : default;
        return kind != default;
    }

    public static string PrefixOf(PrincipalKind kind) => kind switch
    {
        PrincipalKind.Device => DevicePrefix,
        PrincipalKind.Gateway => GatewayPrefix,
        PrincipalKind.ApiToken => ApiPrefix,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown principal kind."),
    };
}

/// <summary>A freshly generated token. <see cref="ToString"/> hides the secret so it never lands in a log by accident.</summary>
public sealed record IssuedToken(PrincipalKind Kind, string LookupId, string Token)
{
    public override string ToString() => $"{TokenGenerator.PrefixOf(Kind)}{LookupId}…";
}
