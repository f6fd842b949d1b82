namespace Fabrica.Protocols.OpcUa;

/// <summary>Structured built-in types and Variant (OPC 10000-6 §5.2.2.9–§5.2.2.17).</summary>
public sealed partial class OpcUaBinaryWriter
{
    /// <summary>The most compact NodeId form (§5.2.2.9): two-byte, four-byte, numeric, string, GUID or opaque.</summary>
    public void WriteNodeId(NodeId value) => WriteNodeId(value, 0);

    public void WriteExpandedNodeId(ExpandedNodeId value)
    {
        var flags = (byte)((value.NamespaceUri is null ? 0 : OpcUaBinaryReader.NamespaceUriFlag) |
                           (value.ServerIndex == 0 ? 0 : OpcUaBinaryReader.ServerIndexFlag));
        WriteNodeId(value.NodeId, flags);
        if (value.NamespaceUri is not null)
        {
            WriteString(value.NamespaceUri);
        }
        if (value.ServerIndex != 0)
        {
            WriteUInt32(value.ServerIndex);
        }
    }

    private void WriteNodeId(NodeId value, byte flags)
    {
        switch (value.IdType)
        {
            case NodeIdType.Numeric when value.NamespaceIndex == 0 && value.NumericIdentifier <= byte.MaxValue:
                WriteByte((byte)(OpcUaBinaryReader.TwoByteNodeId | flags));
                WriteByte((byte)value.NumericIdentifier);
                break;
            case NodeIdType.Numeric when value.NamespaceIndex <= byte.MaxValue && value.NumericIdentifier <= ushort.MaxValue:
                WriteByte((byte)(OpcUaBinaryReader.FourByteNodeId | flags));
                WriteByte((byte)value.NamespaceIndex);
                WriteUInt16((ushort)value.NumericIdentifier);
                break;
            case NodeIdType.Numeric:
                WriteByte((byte)(OpcUaBinaryReader.NumericNodeId | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteUInt32(value.NumericIdentifier);
                break;
            case NodeIdType.String:
                WriteByte((byte)(OpcUaBinaryReader.StringNodeId | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteString(value.StringIdentifier);
                break;
            case NodeIdType.Guid:
                WriteByte((byte)(OpcUaBinaryReader.GuidNodeId | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteGuid(value.GuidIdentifier);
                break;
            default:
                WriteByte((byte)(OpcUaBinaryReader.ByteStringNodeId | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteByteString(value.OpaqueIdentifier);
                break;
        }
    }

    public void WriteQualifiedName(QualifiedName value)
    {
        WriteUInt16(value.NamespaceIndex);
        WriteString(value.Name);
    }

    public void WriteLocalizedText(LocalizedText? value)
    {
        var mask = (byte)((value?.Locale is null ? 0 : 0x01) | (value?.Text is null ? 0 : 0x02));
        WriteByte(mask);
        if (value?.Locale is not null)
        {
            WriteString(value.Locale);
        }
        if (value?.Text is not null)
        {
            WriteString(value.Text);
        }
    }

    public void WriteExtensionObject(ExtensionObject? value)
    {
        value ??= ExtensionObject.Null;
        WriteNodeId(value.TypeId);
        WriteByte((byte)value.Encoding);
        switch (value.Encoding)
        {
            case ExtensionObjectEncoding.Binary when value.Encodeable is { } encodeable:
                var lengthAt = Length;
                WriteInt32(0);
                encodeable.Encode(this);
                PatchInt32(lengthAt, Length - lengthAt - 4);
                break;
            case ExtensionObjectEncoding.Binary:
                WriteByteString(value.Body ?? []);
                break;
            case ExtensionObjectEncoding.Xml:
                WriteXmlElement(value.Xml ?? "");
                break;
        }
    }

    public void WriteDataValue(DataValue value)
    {
        var mask = 0;
        if (!value.Value.IsNull) mask |= 0x01;
        if (value.StatusCode.Code != 0) mask |= 0x02;
        if (value.SourceTimestamp != DateTime.MinValue) mask |= 0x04;
        if (value.ServerTimestamp != DateTime.MinValue) mask |= 0x08;
        if (value.SourcePicoseconds != 0) mask |= 0x10;
        if (value.ServerPicoseconds != 0) mask |= 0x20;
        WriteByte((byte)mask);
        if ((mask & 0x01) != 0) WriteVariant(value.Value);
        if ((mask & 0x02) != 0) WriteStatusCode(value.StatusCode);
        if ((mask & 0x04) != 0) WriteDateTime(value.SourceTimestamp);
        if ((mask & 0x10) != 0) WriteUInt16(value.SourcePicoseconds);
        if ((mask & 0x08) != 0) WriteDateTime(value.ServerTimestamp);
        if ((mask & 0x20) != 0) WriteUInt16(value.ServerPicoseconds);
    }

    public void WriteDiagnosticInfo(DiagnosticInfo? value)
    {
        if (value is null)
        {
            WriteByte(0);
            return;
        }
        var mask = 0;
        if (value.SymbolicId.HasValue) mask |= 0x01;
        if (value.NamespaceUri.HasValue) mask |= 0x02;
        if (value.LocalizedText.HasValue) mask |= 0x04;
        if (value.Locale.HasValue) mask |= 0x08;
        if (value.AdditionalInfo is not null) mask |= 0x10;
        if (value.InnerStatusCode.HasValue) mask |= 0x20;
        if (value.InnerDiagnosticInfo is not null) mask |= 0x40;
        WriteByte((byte)mask);
        if (value.SymbolicId is { } symbolicId) WriteInt32(symbolicId);
        if (value.NamespaceUri is { } namespaceUri) WriteInt32(namespaceUri);
        if (value.Locale is { } locale) WriteInt32(locale);
        if (value.LocalizedText is { } localizedText) WriteInt32(localizedText);
        if (value.AdditionalInfo is not null) WriteString(value.AdditionalInfo);
        if (value.InnerStatusCode is { } inner) WriteStatusCode(inner);
        if (value.InnerDiagnosticInfo is not null) WriteDiagnosticInfo(value.InnerDiagnosticInfo);
    }

    /// <summary>§5.2.2.16: encoding byte (type, 0x80 array, 0x40 dimensions), value or count and elements, dimensions.</summary>
    public void WriteVariant(Variant value)
    {
        var type = value.Type;
        if (value.Shape == VariantShape.Scalar)
        {
            WriteByte((byte)type);
            WriteScalar(value);
            return;
        }
        var elements = value.ArrayValue!;
        var dimensions = value.ArrayDimensions;
        WriteByte((byte)((byte)type | 0x80 | (dimensions is null ? 0 : 0x40)));
        WriteInt32(elements.Length);
        WriteElements(type, elements);
        if (dimensions is not null)
        {
            WriteInt32(dimensions.Length);
            foreach (var d in dimensions)
            {
                WriteInt32(d);
            }
        }
    }

    private void WriteScalar(Variant value)
    {
        var bits = value.Bits;
        switch (value.Type)
        {
            case BuiltInType.Null: break;
            case BuiltInType.Boolean: WriteBoolean(bits != 0); break;
            case BuiltInType.SByte: WriteSByte((sbyte)bits); break;
            case BuiltInType.Byte: WriteByte((byte)bits); break;
            case BuiltInType.Int16: WriteInt16((short)bits); break;
            case BuiltInType.UInt16: WriteUInt16((ushort)bits); break;
            case BuiltInType.Int32: WriteInt32((int)bits); break;
            case BuiltInType.UInt32: WriteUInt32((uint)bits); break;
            case BuiltInType.Int64: WriteInt64((long)bits); break;
            case BuiltInType.UInt64: WriteUInt64(bits); break;
            case BuiltInType.Float: WriteUInt32((uint)bits); break;
            case BuiltInType.Double: WriteUInt64(bits); break;
            case BuiltInType.DateTime: WriteDateTime(new DateTime((long)bits, DateTimeKind.Utc)); break;
            case BuiltInType.StatusCode: WriteUInt32((uint)bits); break;
            default: WriteReference(value.Type, value.Reference); break;
        }
    }

    private void WriteReference(BuiltInType type, object? value)
    {
        switch (type)
        {
            case BuiltInType.String: WriteString((string?)value); break;
            case BuiltInType.XmlElement: WriteXmlElement((string?)value); break;
            case BuiltInType.Guid: WriteGuid((Guid)value!); break;
            case BuiltInType.ByteString: WriteByteString((byte[]?)value); break;
            case BuiltInType.NodeId: WriteNodeId((NodeId)value!); break;
            case BuiltInType.ExpandedNodeId: WriteExpandedNodeId((ExpandedNodeId)value!); break;
            case BuiltInType.QualifiedName: WriteQualifiedName((QualifiedName)value!); break;
            case BuiltInType.LocalizedText: WriteLocalizedText((LocalizedText?)value); break;
            case BuiltInType.ExtensionObject: WriteExtensionObject((ExtensionObject?)value); break;
            case BuiltInType.DataValue: WriteDataValue((DataValue)value!); break;
            case BuiltInType.Variant: WriteVariant((Variant)value!); break;
            case BuiltInType.DiagnosticInfo: WriteDiagnosticInfo((DiagnosticInfo?)value); break;
            default: OpcUaThrow.Encoding($"cannot encode {type}"); break;
        }
    }

    private void WriteElements(BuiltInType type, Array elements)
    {
        switch (elements)
        {
            case bool[] a: foreach (var v in a) WriteBoolean(v); break;
            case sbyte[] a: foreach (var v in a) WriteSByte(v); break;
            case byte[] a: WriteBytes(a); break;
            case short[] a: foreach (var v in a) WriteInt16(v); break;
            case ushort[] a: foreach (var v in a) WriteUInt16(v); break;
            case int[] a: foreach (var v in a) WriteInt32(v); break;
            case uint[] a: foreach (var v in a) WriteUInt32(v); break;
            case long[] a: foreach (var v in a) WriteInt64(v); break;
            case ulong[] a: foreach (var v in a) WriteUInt64(v); break;
            case float[] a: foreach (var v in a) WriteFloat(v); break;
            case double[] a: foreach (var v in a) WriteDouble(v); break;
            case DateTime[] a: foreach (var v in a) WriteDateTime(v); break;
            case StatusCode[] a: foreach (var v in a) WriteStatusCode(v); break;
            default:
                foreach (var v in elements)
                {
                    WriteReference(type, v);
                }
                break;
        }
    }
}
