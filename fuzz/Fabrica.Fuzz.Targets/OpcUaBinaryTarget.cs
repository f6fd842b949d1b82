using Fabrica.Protocols.OpcUa;

namespace Fabrica.Fuzz;

/// <summary>
/// Fuzz target of the OPC UA Binary decoder (OPC 10000-6 §5.2) with its depth and length limits. The first input byte
/// chooses what the rest is decoded as (a built-in type, or a whole service response as the client's read loop
/// decodes it); <see cref="OpcUaServiceException"/> is the only way to refuse. What decodes is re-encoded and decoded
/// again: the value must come back equal and its encoding must be stable (encode ∘ decode ∘ encode = encode).
/// </summary>
public static partial class OpcUaBinaryTarget
{
    /// <summary>Tight limits, so afl reaches them with small inputs; the default depth of 32 guards the stack.</summary>
    public static readonly OpcUaEncodingLimits Limits = new() { MaxArrayLength = 4096, MaxStringLength = 4096, MaxByteStringLength = 4096 };

    /// <summary>What the first input byte selects (modulo the count).</summary>
    public enum Shape : byte
    {
        Variant,
        DataValue,
        DiagnosticInfo,
        ExtensionObject,
        ExpandedNodeId,
        NodeId,
        Names,
        ServiceResponse,
    }

    public static int Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return 0;
        }

        var shape = (Shape)(input[0] % 8);
        var body = input.Length > FuzzTarget.MaxInputLength ? input[1..FuzzTarget.MaxInputLength] : input[1..];
        try
        {
            return Decode(shape, body);
        }
        catch (OpcUaServiceException)
        {
            return 0;
        }
    }

    private static int Decode(Shape shape, ReadOnlySpan<byte> body)
    {
        var reader = new OpcUaBinaryReader(body, Limits);
        switch (shape)
        {
            case Shape.Variant:
                RoundTrip(reader.ReadVariant(), static (w, v) => w.WriteVariant(v), static (ref OpcUaBinaryReader r) => r.ReadVariant());
                break;
            case Shape.DataValue:
                RoundTrip(reader.ReadDataValue(), static (w, v) => w.WriteDataValue(v), static (ref OpcUaBinaryReader r) => r.ReadDataValue());
                break;
            case Shape.DiagnosticInfo:
                RoundTrip(reader.ReadDiagnosticInfo(), static (w, v) => w.WriteDiagnosticInfo(v), static (ref OpcUaBinaryReader r) => r.ReadDiagnosticInfo());
                break;
            case Shape.ExtensionObject:
                RoundTrip(reader.ReadExtensionObject(), static (w, v) => w.WriteExtensionObject(v), static (ref OpcUaBinaryReader r) => r.ReadExtensionObject());
                break;
            case Shape.ExpandedNodeId:
                RoundTrip(reader.ReadExpandedNodeId(), static (w, v) => w.WriteExpandedNodeId(v), static (ref OpcUaBinaryReader r) => r.ReadExpandedNodeId());
                break;
            case Shape.NodeId:
                RoundTrip(reader.ReadNodeId(), static (w, v) => w.WriteNodeId(v), static (ref OpcUaBinaryReader r) => r.ReadNodeId());
                break;
            case Shape.Names:
                RoundTrip(reader.ReadQualifiedName(), static (w, v) => w.WriteQualifiedName(v), static (ref OpcUaBinaryReader r) => r.ReadQualifiedName());
                RoundTrip(reader.ReadLocalizedText(), static (w, v) => w.WriteLocalizedText(v), static (ref OpcUaBinaryReader r) => r.ReadLocalizedText());
                break;
            default:
                return DecodeServiceResponse(body);
        }

        FuzzInvariantException.Check(reader.Position <= body.Length, "the reader went past the end of its input");
        return 1;
    }

    /// <summary>
    /// Decode, then encode, decode and encode again: the second value equals the first, the two encodings are the same bytes.
    /// The first encoding may differ from the input (null and empty strings, tolerated negative lengths, padding flags).
    /// </summary>
    internal static void RoundTrip<T>(T value, Action<OpcUaBinaryWriter, T> write, ElementReader<T> read)
    {
        using var first = new OpcUaBinaryWriter(256);
        using var second = new OpcUaBinaryWriter(256);
        try
        {
            // The writer may not refuse what the reader accepted, nor the reader what the writer wrote.
            write(first, value);
            var reader = new OpcUaBinaryReader(first.WrittenSpan, Limits);
            var again = read(ref reader);
            FuzzInvariantException.Check(reader.Remaining == 0, $"decoding our encoding of a {typeof(T).Name} left {reader.Remaining} bytes");
            FuzzInvariantException.Check(EqualityComparer<T>.Default.Equals(value, again), $"a {typeof(T).Name} changed across encode and decode: {value} → {again}");
            write(second, again);
        }
        catch (OpcUaServiceException ex)
        {
            throw new FuzzInvariantException($"an accepted {typeof(T).Name} does not survive our own encode and decode: {ex.Message}", ex);
        }

        FuzzInvariantException.Check(first.WrittenSpan.SequenceEqual(second.WrittenSpan), $"the encoding of a {typeof(T).Name} is not stable");
    }
}
