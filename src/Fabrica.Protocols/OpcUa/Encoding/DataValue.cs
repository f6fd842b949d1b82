namespace Fabrica.Protocols.OpcUa;

/// <summary>
/// A value with its status and timestamps (OPC 10000-6 §5.2.2.17). Absent fields on the wire are their defaults
/// here: Good, <see cref="DateTime.MinValue"/>, 0 picoseconds.
/// </summary>
public readonly record struct DataValue(
    Variant Value,
    StatusCode StatusCode = default,
    DateTime SourceTimestamp = default,
    DateTime ServerTimestamp = default,
    ushort SourcePicoseconds = 0,
    ushort ServerPicoseconds = 0)
{
    /// <summary>The source timestamp if the server sent one, else the server timestamp, else null.</summary>
    public DateTime? Timestamp =>
        SourceTimestamp != DateTime.MinValue ? SourceTimestamp :
        ServerTimestamp != DateTime.MinValue ? ServerTimestamp : null;
}

/// <summary>
/// Diagnostics for a status (OPC 10000-6 §5.2.2.12). The integers index the response header's string table.
/// </summary>
public sealed record DiagnosticInfo(
    int? SymbolicId = null,
    int? NamespaceUri = null,
    int? Locale = null,
    int? LocalizedText = null,
    string? AdditionalInfo = null,
    StatusCode? InnerStatusCode = null,
    DiagnosticInfo? InnerDiagnosticInfo = null);

/// <summary>A structure whose binary body is written by its own code (service parameters, filters, tokens).</summary>
public interface IOpcUaEncodeable
{
    void Encode(OpcUaBinaryWriter writer);
}

public enum ExtensionObjectEncoding : byte
{
    None = 0,
    Binary = 1,
    Xml = 2,
}

/// <summary>
/// A structure wrapped with the NodeId of its encoding (OPC 10000-6 §5.2.2.15): TypeId, an encoding byte,
/// then for a body an Int32 length and the bytes. Decoded objects keep the body as bytes; a caller who knows
/// the type decodes it with an <see cref="OpcUaBinaryReader"/>.
/// </summary>
public sealed class ExtensionObject : IEquatable<ExtensionObject>
{
    private readonly object? _body; // byte[] (binary), string (xml) or IOpcUaEncodeable (binary, encoded on write)

    private ExtensionObject(NodeId typeId, ExtensionObjectEncoding encoding, object? body)
    {
        TypeId = typeId;
        Encoding = encoding;
        _body = body;
    }

    public static ExtensionObject Null { get; } = new(NodeId.Null, ExtensionObjectEncoding.None, null);

    public NodeId TypeId { get; }

    public ExtensionObjectEncoding Encoding { get; }

    public bool IsNull => Encoding == ExtensionObjectEncoding.None && TypeId.IsNull;

    /// <summary>The binary body, when the object came from the wire or was made from bytes.</summary>
    public byte[]? Body => _body as byte[];

    public string? Xml => _body as string;

    public IOpcUaEncodeable? Encodeable => _body as IOpcUaEncodeable;

    public static ExtensionObject Empty(NodeId typeId) => new(typeId, ExtensionObjectEncoding.None, null);

    public static ExtensionObject FromBinary(NodeId typeId, byte[] body) => new(typeId, ExtensionObjectEncoding.Binary, body);

    public static ExtensionObject FromXml(NodeId typeId, string xml) => new(typeId, ExtensionObjectEncoding.Xml, xml);

    public static ExtensionObject FromEncodeable(NodeId binaryEncodingId, IOpcUaEncodeable body) =>
        new(binaryEncodingId, ExtensionObjectEncoding.Binary, body);

    /// <summary>Decodes the binary body with the given reader function.</summary>
    public T Decode<T>(ElementReader<T> read, OpcUaEncodingLimits? limits = null)
    {
        if (Body is not { } bytes)
        {
            throw new OpcUaServiceException(StatusCodes.BadDecodingError, $"extension object {TypeId} has no binary body");
        }
        var reader = new OpcUaBinaryReader(bytes, limits);
        return read(ref reader);
    }

    public bool Equals(ExtensionObject? other)
    {
        if (other is null || TypeId != other.TypeId || Encoding != other.Encoding)
        {
            return false;
        }
        return (_body, other._body) switch
        {
            (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
            (var a, var b) => Equals(a, b),
        };
    }

    public override bool Equals(object? obj) => Equals(obj as ExtensionObject);

    public override int GetHashCode() => HashCode.Combine(TypeId, Encoding);

    public override string ToString() => $"ExtensionObject({TypeId}, {Encoding})";
}
