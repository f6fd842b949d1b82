using System.Globalization;
using System.Text;

namespace Fabrica.Protocols.Sparkplug;

/// <summary>
/// How Sparkplug names become Fabrica names (docs/sparkplug.md, "Device and tag mapping"):
/// <list type="bullet">
/// <item>device id: <c>{group}.{edge node}</c> for node metrics, <c>{group}.{edge node}.{device}</c> for device
/// metrics (without <c>{group}.</c> when the host is configured so). In each element, characters outside
/// <c>[A-Za-z0-9_-]</c> become '_'; an element with non-ASCII characters also gets '-' and 8 hex digits of a hash of
/// the original, so that names in other scripts stay distinct. Ids over 128 characters are cut and get the hash.</item>
/// <item>tag: the metric name with Sparkplug's folder separator '/' turned into '.', '+', '#' and control
/// characters into '_'; names over 256 characters are cut and get the hash.</item>
/// </list>
/// The mapping is deterministic (same names, same ids on every node and run) and always satisfies
/// <see cref="NamingRules.IsValidDeviceId"/> and <see cref="NamingRules.IsValidTag"/>.
/// </summary>
public static class SparkplugNaming
{
    private const int HashLength = 9; // '-' + 8 hex digits

    public static string ToDeviceId(string groupId, string edgeNodeId, string? deviceId, bool includeGroup = true)
    {
        var builder = new StringBuilder(groupId.Length + edgeNodeId.Length + (deviceId?.Length ?? 0) + 2);
        if (includeGroup)
            AppendElement(builder, groupId).Append('.');
        AppendElement(builder, edgeNodeId);
        if (deviceId is not null)
            AppendElement(builder.Append('.'), deviceId);
        var id = builder.ToString();
        if (id.Length > NamingRules.MaxDeviceIdLength)
            id = Cut(id, NamingRules.MaxDeviceIdLength, $"{groupId}/{edgeNodeId}/{deviceId}");
        return id;
    }

    public static string ToTag(string metricName)
    {
        ArgumentException.ThrowIfNullOrEmpty(metricName);
        var chars = metricName.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                '/' => '.',
                '+' or '#' => '_',
                var c when char.IsControl(c) => '_',
                var c => c,
            };
        }
        var tag = new string(chars);
        if (tag.Length > NamingRules.MaxTagLength)
            tag = Cut(tag, NamingRules.MaxTagLength, metricName);
        return tag;
    }

    private static StringBuilder AppendElement(StringBuilder builder, string element)
    {
        var nonAscii = false;
        foreach (var c in element)
        {
            var keep = char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
            nonAscii |= !char.IsAscii(c);
            builder.Append(keep ? c : '_');
        }
        if (nonAscii)
            builder.Append('-').Append(Hash(element));
        return builder;
    }

    private static string Cut(string text, int max, string original)
    {
        var head = text.AsSpan(0, max - HashLength);
        if (char.IsHighSurrogate(head[^1]))
            head = head[..^1];
        return string.Concat(head, "-", Hash(original));
    }

    /// <summary>FNV-1a over UTF-8: tiny, stable across processes and versions (string.GetHashCode is not).</summary>
    private static string Hash(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
            hash = (hash ^ b) * 16777619u;
        return hash.ToString("x8", CultureInfo.InvariantCulture);
    }
}
