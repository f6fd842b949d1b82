namespace Fabrica;

/// <summary>
/// Rules for the names users choose. Device ids appear in URLs and MQTT topics, so they are URL-safe
/// (letters, digits, '-', '_', '.'); tags are the keys of telemetry payloads and may hold more.
/// </summary>
public static class NamingRules
{
    public const int MaxDeviceIdLength = 128;
    public const int MaxTagLength = 256;

    public static bool IsValidDeviceId(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty || id.Length > MaxDeviceIdLength || id is "." or "..")
            return false;
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                return false;
        }
        return true;
    }

    /// <summary>Tags are printable, without MQTT wildcards or '/', and at most 256 characters.</summary>
    public static bool IsValidTag(ReadOnlySpan<char> tag)
    {
        if (tag.IsEmpty || tag.Length > MaxTagLength)
            return false;
        foreach (var c in tag)
        {
            if (char.IsControl(c) || c is '/' or '+' or '#')
                return false;
        }
        return true;
    }
}
