using System.Globalization;

namespace Fabrica.Protocols.OpcUa;

public enum NodeIdType : byte
{
    Numeric = 0,
    String = 1,
    Guid = 2,
    Opaque = 3,
}

/// <summary>
/// The identifier of a node (OPC 10000-3 §8.2): a namespace index and a numeric, string, GUID or opaque
/// identifier. Text form as in OPC 10000-6 §5.3.1.10: <c>ns=1;s=Pump.Speed</c>, <c>i=85</c>,
/// <c>g=72962b91-…</c>, <c>b=base64</c> (<c>ns=0;</c> is omitted).
/// </summary>
public readonly struct NodeId : IEquatable<NodeId>
{
    private readonly uint _numeric;
    private readonly object? _identifier; // string, byte[] or boxed Guid

    public NodeId(uint identifier, ushort namespaceIndex = 0)
    {
        NamespaceIndex = namespaceIndex;
        IdType = NodeIdType.Numeric;
        _numeric = identifier;
    }

    public NodeId(string identifier, ushort namespaceIndex)
    {
        NamespaceIndex = namespaceIndex;
        IdType = NodeIdType.String;
        _identifier = identifier ?? throw new ArgumentNullException(nameof(identifier));
    }

    public NodeId(Guid identifier, ushort namespaceIndex)
    {
        NamespaceIndex = namespaceIndex;
        IdType = NodeIdType.Guid;
        _identifier = identifier;
    }

    public NodeId(byte[] identifier, ushort namespaceIndex)
    {
        NamespaceIndex = namespaceIndex;
        IdType = NodeIdType.Opaque;
        _identifier = identifier ?? throw new ArgumentNullException(nameof(identifier));
    }

    /// <summary>The null NodeId (ns=0;i=0).</summary>
    public static NodeId Null => default;

    public ushort NamespaceIndex { get; }

    public NodeIdType IdType { get; }

    public bool IsNull => IdType switch
    {
        NodeIdType.Numeric => _numeric == 0 && NamespaceIndex == 0,
        NodeIdType.String => NamespaceIndex == 0 && ((string)_identifier!).Length == 0,
        NodeIdType.Guid => NamespaceIndex == 0 && (Guid)_identifier! == Guid.Empty,
        _ => NamespaceIndex == 0 && ((byte[])_identifier!).Length == 0,
    };

    public uint NumericIdentifier => IdType == NodeIdType.Numeric ? _numeric : throw new InvalidOperationException("not a numeric NodeId");

    public string StringIdentifier => IdType == NodeIdType.String ? (string)_identifier! : throw new InvalidOperationException("not a string NodeId");

    public Guid GuidIdentifier => IdType == NodeIdType.Guid ? (Guid)_identifier! : throw new InvalidOperationException("not a GUID NodeId");

    public byte[] OpaqueIdentifier => IdType == NodeIdType.Opaque ? (byte[])_identifier! : throw new InvalidOperationException("not an opaque NodeId");

    public static implicit operator NodeId(uint identifier) => new(identifier);

    public static bool operator ==(NodeId left, NodeId right) => left.Equals(right);

    public static bool operator !=(NodeId left, NodeId right) => !left.Equals(right);

    public bool Equals(NodeId other)
    {
        if (NamespaceIndex != other.NamespaceIndex || IdType != other.IdType)
        {
            return false;
        }
        return IdType switch
        {
            NodeIdType.Numeric => _numeric == other._numeric,
            NodeIdType.String => string.Equals((string)_identifier!, (string)other._identifier!, StringComparison.Ordinal),
            NodeIdType.Guid => (Guid)_identifier! == (Guid)other._identifier!,
            _ => ((byte[])_identifier!).AsSpan().SequenceEqual((byte[])other._identifier!),
        };
    }

    public override bool Equals(object? obj) => obj is NodeId other && Equals(other);

    public override int GetHashCode() => IdType switch
    {
        NodeIdType.Numeric => HashCode.Combine(NamespaceIndex, _numeric),
        NodeIdType.String => HashCode.Combine(NamespaceIndex, StringComparer.Ordinal.GetHashCode((string)_identifier!)),
        NodeIdType.Guid => HashCode.Combine(NamespaceIndex, (Guid)_identifier!),
        _ => HashCode.Combine(NamespaceIndex, ((byte[])_identifier!).Length),
    };

    public override string ToString()
    {
        var ns = NamespaceIndex == 0 ? "" : $"ns={NamespaceIndex.ToString(CultureInfo.InvariantCulture)};";
        return IdType switch
        {
            NodeIdType.Numeric => $"{ns}i={_numeric.ToString(CultureInfo.InvariantCulture)}",
            NodeIdType.String => $"{ns}s={(string)_identifier!}",
            NodeIdType.Guid => $"{ns}g={(Guid)_identifier!:D}",
            _ => $"{ns}b={Convert.ToBase64String((byte[])_identifier!)}",
        };
    }

    public static NodeId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var nodeId) ? nodeId : throw new FormatException($"'{text}' is not a NodeId (expected e.g. ns=1;s=Name or i=85)");
    }

    public static bool TryParse(string text, out NodeId nodeId)
    {
        nodeId = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        ushort ns = 0;
        var rest = text.AsSpan();
        if (rest.StartsWith("ns=", StringComparison.Ordinal))
        {
            var semicolon = rest.IndexOf(';');
            if (semicolon < 0 || !ushort.TryParse(rest[3..semicolon], NumberStyles.None, CultureInfo.InvariantCulture, out ns))
            {
                return false;
            }
            rest = rest[(semicolon + 1)..];
        }
        if (rest.Length < 2 || rest[1] != '=')
        {
            return false;
        }
        var value = rest[2..];
        switch (rest[0])
        {
            case 'i' when uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric):
                nodeId = new NodeId(numeric, ns);
                return true;
            case 's':
                nodeId = new NodeId(value.ToString(), ns);
                return true;
            case 'g' when Guid.TryParse(value, out var guid):
                nodeId = new NodeId(guid, ns);
                return true;
            case 'b':
                var bytes = new byte[value.Length];
                if (!Convert.TryFromBase64Chars(value, bytes, out var written))
                {
                    return false;
                }
                nodeId = new NodeId(bytes[..written], ns);
                return true;
            default:
                return false;
        }
    }
}

/// <summary>
/// A NodeId that may name its namespace by URI and its server by index (OPC 10000-6 §5.2.2.10):
/// flags 0x80 (NamespaceUri follows) and 0x40 (ServerIndex follows) in the NodeId's encoding byte.
/// </summary>
public readonly record struct ExpandedNodeId(NodeId NodeId, string? NamespaceUri = null, uint ServerIndex = 0)
{
    public static implicit operator ExpandedNodeId(NodeId nodeId) => new(nodeId);

    public override string ToString()
    {
        var server = ServerIndex == 0 ? "" : $"svr={ServerIndex.ToString(CultureInfo.InvariantCulture)};";
        if (NamespaceUri is null)
        {
            return server + NodeId;
        }
        var local = NodeId.ToString();
        if (local.StartsWith("ns=", StringComparison.Ordinal))
        {
            local = local[(local.IndexOf(';', StringComparison.Ordinal) + 1)..];
        }
        return $"{server}nsu={NamespaceUri};{local}";
    }
}
