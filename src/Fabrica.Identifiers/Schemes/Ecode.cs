using System.Diagnostics.CodeAnalysis;

namespace Fabrica.Identifiers.Schemes;

/// <summary>
/// An Ecode (GB/T 31866, "Identification system for internet of things — Ecode"): version V (one digit), number-system
/// identifier NSI, master-data code MD. The public descriptions of the standard give, per version: V = 0 → NSI of 4
/// digits and MD of exactly 20 digits (25 in all); V = 1 → NSI 4 digits, MD up to 28 digits (≤ 33); V = 2 → NSI 5
/// digits, MD up to 39 digits (≤ 45); V = 3 → NSI 5 digits, MD up to 39 characters of digits and upper-case letters;
/// V = 4 → NSI 5 digits, MD up to 39 characters of any printable ASCII except space. Versions 5–9 are reserved. The
/// internal structure of MD (domain code, product code, serial) belongs to each NSI's own rules and is not checked here.
/// Written plainly (<c>10001…</c>) or with an <c>ecode:</c> prefix.
/// </summary>
public sealed record Ecode(int Version, string NumberSystem, string MasterData)
{
    public string Code => Version.ToString(System.Globalization.CultureInfo.InvariantCulture) + NumberSystem + MasterData;

    public override string ToString() => Code;

    public static bool TryParse(string? text, [NotNullWhen(true)] out Ecode? ecode, [NotNullWhen(false)] out string? error)
    {
        ecode = null;
        var code = text is not null && text.StartsWith("ecode:", StringComparison.OrdinalIgnoreCase) ? text[6..] : text;
        if (string.IsNullOrEmpty(code) || !char.IsAsciiDigit(code[0]))
        {
            error = "An Ecode starts with its version digit";
            return false;
        }
        var version = code[0] - '0';
        (int nsi, int minMd, int maxMd, Func<char, bool> allowed) = version switch
        {
            0 => (4, 20, 20, c => char.IsAsciiDigit(c)),
            1 => (4, 1, 28, c => char.IsAsciiDigit(c)),
            2 => (5, 1, 39, c => char.IsAsciiDigit(c)),
            3 => (5, 1, 39, c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c)),
            4 => (5, 1, 39, c => c is > ' ' and <= '~'),
            _ => (0, 0, 0, (Func<char, bool>)(_ => false)),
        };
        if (nsi == 0)
        {
            error = $"Ecode version {version} is reserved";
            return false;
        }
        if (code.Length < 1 + nsi + minMd || code.Length > 1 + nsi + maxMd)
        {
            error = $"An Ecode of version {version} has a {nsi}-digit NSI and {(minMd == maxMd ? minMd.ToString(System.Globalization.CultureInfo.InvariantCulture) : "1–" + maxMd)} characters of master data";
            return false;
        }
        if (!code.AsSpan(1, nsi).ToString().All(char.IsAsciiDigit) || !code[(1 + nsi)..].All(allowed))
        {
            error = $"An Ecode of version {version} has characters outside its set";
            return false;
        }
        ecode = new Ecode(version, code.Substring(1, nsi), code[(1 + nsi)..]);
        error = null;
        return true;
    }
}
