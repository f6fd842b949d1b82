using System.Globalization;
using System.Text;

namespace Fabrica.Platform.Ingest;

/// <summary>
/// Writes the location of a fault as a JSON path (RFC 9535): <c>$[3].values.temperature</c>, with bracket
/// notation for names that are not plain identifiers (<c>$['line 1/temp']</c>). Built only when rejecting.
/// </summary>
internal static class JsonPathText
{
    public static string For(int element, string? member = null, string? name = null)
    {
        var path = new StringBuilder("$");
        if (element >= 0)
            path.Append('[').Append(element.ToString(CultureInfo.InvariantCulture)).Append(']');
        if (member is not null)
            AppendName(path, member);
        if (name is not null)
            AppendName(path, name);
        return path.ToString();
    }

    private static void AppendName(StringBuilder path, string name)
    {
        if (IsShorthand(name))
        {
            path.Append('.').Append(name);
            return;
        }

        path.Append("['");
        foreach (var c in name)
        {
            switch (c)
            {
                case '\'': path.Append("\\'"); break;
                case '\\': path.Append("\\\\"); break;
                case < ' ': path.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: path.Append(c); break;
            }
        }
        path.Append("']");
    }

    /// <summary>RFC 9535 §2.5.1.1 member-name-shorthand, restricted to ASCII.</summary>
    private static bool IsShorthand(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
            return false;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
                return false;
        }
        return true;
    }
}
