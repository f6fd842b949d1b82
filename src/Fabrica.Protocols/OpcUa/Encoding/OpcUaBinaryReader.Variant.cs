namespace Fabrica.Protocols.OpcUa;

/// <summary>Variant (OPC 10000-6 §5.2.2.16).</summary>
public ref partial struct OpcUaBinaryReader
{
    private const byte ArrayFlag = 0x80;
    private const byte DimensionsFlag = 0x40;

    /// <summary>
    /// Encoding byte: bits 0-5 the built-in type, bit 7 "array", bit 6 "dimensions follow the elements".
    /// An array is an Int32 count and the elements; dimensions are an Int32 count and one Int32 per dimension,
    /// whose product must equal the element count.
    /// </summary>
    public Variant ReadVariant()
    {
        var mask = ReadByte();
        var type = (BuiltInType)(mask & 0x3F);
        if (type > BuiltInType.DiagnosticInfo)
        {
            OpcUaThrow.Decoding($"Variant of unknown built-in type {(int)type}");
        }
        if ((mask & ArrayFlag) == 0)
        {
            if ((mask & DimensionsFlag) != 0)
            {
                OpcUaThrow.Decoding("Variant scalar with array dimensions");
            }
            if (type == BuiltInType.Variant)
            {
                OpcUaThrow.Decoding("a Variant cannot hold a scalar Variant");
            }
            EnterNested();
            var scalar = ReadScalar(type);
            LeaveNested();
            return scalar;
        }
        if (type == BuiltInType.Null)
        {
            OpcUaThrow.Decoding("Variant array of Null");
        }
        EnterNested();
        var elements = ReadElements(type);
        LeaveNested();
        if ((mask & DimensionsFlag) == 0)
        {
            return Variant.FromArrayUnchecked(type, elements);
        }
        var count = ReadLength(_limits.MaxArrayDimensions, "array dimension count");
        if (count < 2)
        {
            // A one-dimensional array with its dimension repeated: accept it as a plain array when it agrees.
            if (count == 1 && ReadInt32() != elements.Length)
            {
                OpcUaThrow.Decoding("array dimension does not match the element count");
            }
            return Variant.FromArrayUnchecked(type, elements);
        }
        var dimensions = new int[count];
        long product = 1;
        for (var i = 0; i < dimensions.Length; i++)
        {
            var d = ReadInt32();
            if (d < 0)
            {
                OpcUaThrow.Decoding($"negative array dimension {d}");
            }
            dimensions[i] = d;
            product = Math.Min(product * d, int.MaxValue + 1L);
        }
        if (product != elements.Length)
        {
            OpcUaThrow.Decoding($"matrix dimensions [{string.Join(',', dimensions)}] do not match {elements.Length} elements");
        }
        return Variant.FromMatrixUnchecked(type, elements, dimensions);
    }

    private Variant ReadScalar(BuiltInType type) => type switch
    {
        BuiltInType.Null => Variant.Null,
        BuiltInType.Boolean => Variant.From(ReadBoolean()),
        BuiltInType.SByte => Variant.From(ReadSByte()),
        BuiltInType.Byte => Variant.From(ReadByte()),
        BuiltInType.Int16 => Variant.From(ReadInt16()),
        BuiltInType.UInt16 => Variant.From(ReadUInt16()),
        BuiltInType.Int32 => Variant.From(ReadInt32()),
        BuiltInType.UInt32 => Variant.From(ReadUInt32()),
        BuiltInType.Int64 => Variant.From(ReadInt64()),
        BuiltInType.UInt64 => Variant.From(ReadUInt64()),
        BuiltInType.Float => Variant.From(ReadFloat()),
        BuiltInType.Double => Variant.From(ReadDouble()),
        BuiltInType.String => Variant.From(ReadString()),
        BuiltInType.DateTime => Variant.From(ReadDateTime()),
        BuiltInType.Guid => Variant.From(ReadGuid()),
        BuiltInType.ByteString => Variant.From(ReadByteString()),
        BuiltInType.XmlElement => Variant.FromXmlElement(ReadXmlElement()),
        BuiltInType.NodeId => Variant.From(ReadNodeId()),
        BuiltInType.ExpandedNodeId => Variant.From(ReadExpandedNodeId()),
        BuiltInType.StatusCode => Variant.From(ReadStatusCode()),
        BuiltInType.QualifiedName => Variant.From(ReadQualifiedName()),
        BuiltInType.LocalizedText => Variant.From(ReadLocalizedText()),
        BuiltInType.ExtensionObject => Variant.From(ReadExtensionObject()),
        BuiltInType.DataValue => Variant.From(ReadDataValue()),
        _ => Variant.From(ReadDiagnosticInfo()),
    };

    private Array ReadElements(BuiltInType type) => type switch
    {
        BuiltInType.Boolean => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadBoolean()),
        BuiltInType.SByte => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadSByte()),
        BuiltInType.Byte => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadByte()),
        BuiltInType.Int16 => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadInt16()),
        BuiltInType.UInt16 => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadUInt16()),
        BuiltInType.Int32 => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadInt32()),
        BuiltInType.UInt32 => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadUInt32()),
        BuiltInType.Int64 => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadInt64()),
        BuiltInType.UInt64 => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadUInt64()),
        BuiltInType.Float => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadFloat()),
        BuiltInType.Double => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadDouble()),
        BuiltInType.String => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadString()),
        BuiltInType.DateTime => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadDateTime()),
        BuiltInType.Guid => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadGuid()),
        BuiltInType.ByteString => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadByteString()),
        BuiltInType.XmlElement => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadXmlElement()),
        BuiltInType.NodeId => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadNodeId()),
        BuiltInType.ExpandedNodeId => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadExpandedNodeId()),
        BuiltInType.StatusCode => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadStatusCode()),
        BuiltInType.QualifiedName => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadQualifiedName()),
        BuiltInType.LocalizedText => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadLocalizedText()),
        BuiltInType.ExtensionObject => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadExtensionObject()),
        BuiltInType.DataValue => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadDataValue()),
        BuiltInType.Variant => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadVariant()),
        _ => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadDiagnosticInfo()),
    };
}
