namespace Fabrica.Protocols.OpcUa;

/// <summary>
/// Limits a decoder checks before it allocates (OPC 10000-6 §5.2.1 leaves them to the application and asks
/// decoders to enforce them: strings, arrays and nesting are the classic ways to exhaust a peer's memory or stack).
/// </summary>
public sealed record OpcUaEncodingLimits
{
    public static OpcUaEncodingLimits Default { get; } = new();

    /// <summary>Bytes in one String or XmlElement.</summary>
    public int MaxStringLength { get; init; } = 1 << 20;

    /// <summary>Bytes in one ByteString.</summary>
    public int MaxByteStringLength { get; init; } = 4 << 20;

    /// <summary>Elements in one array (every array on the wire, including matrices and service arrays).</summary>
    public int MaxArrayLength { get; init; } = 1 << 20;

    /// <summary>Nesting of Variants, DataValues, ExtensionObjects and DiagnosticInfos inside one another.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Dimensions of one matrix.</summary>
    public int MaxArrayDimensions { get; init; } = 8;
}
