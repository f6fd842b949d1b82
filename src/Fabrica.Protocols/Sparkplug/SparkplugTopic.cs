using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Fabrica.Protocols.Sparkplug;

/// <summary>The <c>message_type</c> element of a Sparkplug topic (Sparkplug 3.0 §4.1.3).</summary>
public enum SparkplugMessageType
{
    NBIRTH,
    NDEATH,
    DBIRTH,
    DDEATH,
    NDATA,
    DDATA,
    NCMD,
    DCMD,
    STATE,
}

/// <summary>
/// A Sparkplug B topic (Sparkplug 3.0 §4.1):
/// <code>
/// spBv1.0/{group_id}/{NBIRTH|NDEATH|NDATA|NCMD}/{edge_node_id}
/// spBv1.0/{group_id}/{DBIRTH|DDEATH|DDATA|DCMD}/{edge_node_id}/{device_id}
/// spBv1.0/STATE/{host_id}                       (host application state, §4.2.3)
/// </code>
/// Each element is non-empty UTF-8 without '+', '/' or '#' (§4.1.2, §4.1.4, §4.1.5).
/// </summary>
public sealed record SparkplugTopic
{
    public const string Namespace = "spBv1.0";

    /// <summary>MQTT topic names are at most 65,535 bytes of UTF-8 (MQTT 3.1.1 §1.5.3).</summary>
    public const int MaxTopicBytes = 65_535;

    private string? _text;

    private SparkplugTopic(SparkplugMessageType type, string? groupId, string? edgeNodeId, string? deviceId, string? hostId)
    {
        MessageType = type;
        GroupId = groupId;
        EdgeNodeId = edgeNodeId;
        DeviceId = deviceId;
        HostId = hostId;
    }

    public SparkplugMessageType MessageType { get; }

    /// <summary>The group; null only for STATE.</summary>
    public string? GroupId { get; }

    /// <summary>The edge node; null only for STATE.</summary>
    public string? EdgeNodeId { get; }

    /// <summary>The device, for DBIRTH, DDEATH, DDATA and DCMD.</summary>
    public string? DeviceId { get; }

    /// <summary>The host application id, for STATE.</summary>
    public string? HostId { get; }

    [MemberNotNullWhen(false, nameof(GroupId), nameof(EdgeNodeId))]
    [MemberNotNullWhen(true, nameof(HostId))]
    public bool IsState => MessageType == SparkplugMessageType.STATE;

    [MemberNotNullWhen(true, nameof(DeviceId))]
    public bool IsDeviceMessage => MessageType is SparkplugMessageType.DBIRTH or SparkplugMessageType.DDEATH
        or SparkplugMessageType.DDATA or SparkplugMessageType.DCMD;

    /// <summary>An edge node topic: NBIRTH, NDEATH, NDATA or NCMD.</summary>
    public static SparkplugTopic ForNode(string groupId, SparkplugMessageType type, string edgeNodeId)
    {
        if (type is not (SparkplugMessageType.NBIRTH or SparkplugMessageType.NDEATH or SparkplugMessageType.NDATA or SparkplugMessageType.NCMD))
            throw new ArgumentException($"{type} is not an edge node message type.", nameof(type));
        return Checked(new SparkplugTopic(type, groupId, edgeNodeId, null, null));
    }

    /// <summary>A device topic: DBIRTH, DDEATH, DDATA or DCMD.</summary>
    public static SparkplugTopic ForDevice(string groupId, SparkplugMessageType type, string edgeNodeId, string deviceId)
    {
        if (type is not (SparkplugMessageType.DBIRTH or SparkplugMessageType.DDEATH or SparkplugMessageType.DDATA or SparkplugMessageType.DCMD))
            throw new ArgumentException($"{type} is not a device message type.", nameof(type));
        return Checked(new SparkplugTopic(type, groupId, edgeNodeId, deviceId, null));
    }

    /// <summary>A host application's STATE topic, <c>spBv1.0/STATE/{host_id}</c>.</summary>
    public static SparkplugTopic ForState(string hostId) => Checked(new SparkplugTopic(SparkplugMessageType.STATE, null, null, null, hostId));

    /// <exception cref="SparkplugProtocolException">The topic is not a Sparkplug B topic; the message says why.</exception>
    public static SparkplugTopic Parse(string topic) =>
        TryParse(topic, out var result, out var error) ? result : throw new SparkplugProtocolException(SparkplugErrorReason.InvalidTopic, error);

    public static bool TryParse(string? topic, [NotNullWhen(true)] out SparkplugTopic? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (string.IsNullOrEmpty(topic))
            return Fail("the topic is empty", out error);
        if (topic.Length > MaxTopicBytes)
            return Fail($"the topic is longer than {MaxTopicBytes} bytes", out error);

        Span<Range> parts = stackalloc Range[6];
        var span = topic.AsSpan();
        var count = span.Split(parts, '/');
        if (count > 5)
            return Fail($"'{Shorten(topic)}' has more than 5 levels", out error);
        if (!span[parts[0]].SequenceEqual(Namespace))
            return Fail($"'{Shorten(topic)}' does not start with the namespace '{Namespace}/'", out error);
        if (count >= 2 && span[parts[1]].SequenceEqual("STATE"))
        {
            if (count != 3)
                return Fail($"a STATE topic is '{Namespace}/STATE/{{host_id}}', not '{Shorten(topic)}'", out error);
            result = new SparkplugTopic(SparkplugMessageType.STATE, null, null, null, span[parts[2]].ToString()) { _text = topic };
            return Validate(result, out error);
        }
        if (count < 4)
            return Fail($"'{Shorten(topic)}' needs '{Namespace}/{{group_id}}/{{message_type}}/{{edge_node_id}}[/{{device_id}}]'", out error);
        if (!TryParseType(span[parts[2]], out var type))
            return Fail($"'{Shorten(span[parts[2]].ToString())}' is not a Sparkplug message type", out error);
        if (type == SparkplugMessageType.STATE)
            return Fail($"a STATE topic is '{Namespace}/STATE/{{host_id}}', not '{Shorten(topic)}'", out error);
        var device = count == 5 ? span[parts[4]].ToString() : null;
        result = new SparkplugTopic(type, span[parts[1]].ToString(), span[parts[3]].ToString(), device, null) { _text = topic };
        if (result.IsDeviceMessage != (device is not null))
        {
            result = null;
            return Fail(device is null
                ? $"a {type} topic names a device: '{Shorten(topic)}' has none"
                : $"a {type} topic names no device: '{Shorten(topic)}' has one", out error);
        }
        return Validate(result, out error);
    }

    public override string ToString() => _text ??= IsState
        ? $"{Namespace}/STATE/{HostId}"
        : DeviceId is null ? $"{Namespace}/{GroupId}/{MessageType}/{EdgeNodeId}" : $"{Namespace}/{GroupId}/{MessageType}/{EdgeNodeId}/{DeviceId}";

    private static SparkplugTopic Checked(SparkplugTopic topic) =>
        Validate(topic, out var error) ? topic : throw new ArgumentException(error);

    private static bool Validate(SparkplugTopic topic, [NotNullWhen(false)] out string? error)
    {
        error = Element("host_id", topic.HostId) ?? Element("group_id", topic.GroupId)
            ?? Element("edge_node_id", topic.EdgeNodeId) ?? Element("device_id", topic.DeviceId);
        if (error is not null)
            return false;
        if (Encoding.UTF8.GetByteCount(topic.ToString()) > MaxTopicBytes)
            return Fail($"the topic is longer than {MaxTopicBytes} bytes", out error);
        return true;
    }

    /// <summary>Null when the element is absent or valid, else the error.</summary>
    private static string? Element(string name, string? value)
    {
        if (value is null)
            return null;
        if (value.Length == 0)
            return Message($"the {name} is empty");
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '+' or '/' or '#')
                return Message($"the {name} '{Shorten(value)}' contains the reserved character '{c}'");
            if (c == '\0')
                return Message($"the {name} contains a NUL character");
            if (!char.IsSurrogate(c))
                continue;
            if (!char.IsHighSurrogate(c) || i + 1 == value.Length || !char.IsLowSurrogate(value[i + 1]))
                return Message($"the {name} is not valid UTF-8 text (a lone surrogate)");
            i++;
        }
        return null;
    }

    private static bool TryParseType(ReadOnlySpan<char> text, out SparkplugMessageType type)
    {
        type = text switch
        {
            "NBIRTH" => SparkplugMessageType.NBIRTH,
            "NDEATH" => SparkplugMessageType.NDEATH,
            "DBIRTH" => SparkplugMessageType.DBIRTH,
            "DDEATH" => SparkplugMessageType.DDEATH,
            "NDATA" => SparkplugMessageType.NDATA,
            "DDATA" => SparkplugMessageType.DDATA,
            "NCMD" => SparkplugMessageType.NCMD,
            "DCMD" => SparkplugMessageType.DCMD,
            "STATE" => SparkplugMessageType.STATE,
            _ => (SparkplugMessageType)(-1),
        };
        return type >= 0;
    }

    private static bool Fail(string message, out string error)
    {
        error = Message(message);
        return false;
    }

    private static string Message(string message) => "Not a Sparkplug B topic: " + message + ".";

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}
