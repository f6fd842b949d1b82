namespace Fabrica.Protocols.OpcUa;

/// <summary>The structured built-in types: NodeId, ExpandedNodeId, QualifiedName, LocalizedText, ExtensionObject, DataValue, DiagnosticInfo.</summary>
public ref partial struct OpcUaBinaryReader
{
    // §5.2.2.9 NodeId encoding byte (low 6 bits); ExpandedNodeId adds the two flags above them (§5.2.2.10).
    internal const byte TwoByteNodeId = 0x00;
    internal const byte FourByteNodeId = 0x01;
    internal const byte NumericNodeId = 0x02;
    internal const byte StringNodeId = 0x03;
    internal const byte GuidNodeId = 0x04;
    internal const byte ByteStringNodeId = 0x05;
    internal const byte NamespaceUriFlag = 0x80;
    internal const byte ServerIndexFlag = 0x40;

    public NodeId ReadNodeId()
    {
        var encoding = ReadByte();
        if ((encoding & (NamespaceUriFlag | ServerIndexFlag)) != 0)
        {
            OpcUaThrow.Decoding($"NodeId encoding byte 0x{encoding:X2} has ExpandedNodeId flags");
        }
        return ReadNodeIdBody(encoding);
    }

    public ExpandedNodeId ReadExpandedNodeId()
    {
        var encoding = ReadByte();
        var nodeId = ReadNodeIdBody((byte)(encoding & 0x3F));
        var namespaceUri = (encoding & NamespaceUriFlag) != 0 ? ReadString() : null;
        var serverIndex = (encoding & ServerIndexFlag) != 0 ? ReadUInt32() : 0;
        return new ExpandedNodeId(nodeId, namespaceUri, serverIndex);
    }

    private NodeId ReadNodeIdBody(byte encoding)
    {
        switch (encoding)
        {
            case TwoByteNodeId:
                return new NodeId(ReadByte());
            case FourByteNodeId:
                var ns = ReadByte();
                return new NodeId(ReadUInt16(), ns);
            case NumericNodeId:
                var ns2 = ReadUInt16();
                return new NodeId(ReadUInt32(), ns2);
            case StringNodeId:
                var ns3 = ReadUInt16();
                return new NodeId(ReadString() ?? "", ns3);
            case GuidNodeId:
                var ns4 = ReadUInt16();
                return new NodeId(ReadGuid(), ns4);
            case ByteStringNodeId:
                var ns5 = ReadUInt16();
                return new NodeId(ReadByteString() ?? [], ns5);
            default:
                return OpcUaThrow.Decoding<NodeId>($"unknown NodeId encoding 0x{encoding:X2}");
        }
    }

    public QualifiedName ReadQualifiedName()
    {
        var ns = ReadUInt16();
        return new QualifiedName(ns, ReadString());
    }

    public LocalizedText ReadLocalizedText()
    {
        var mask = ReadByte();
        if ((mask & ~0x03) != 0)
        {
            OpcUaThrow.Decoding($"LocalizedText mask 0x{mask:X2} has unknown bits");
        }
        var locale = (mask & 0x01) != 0 ? ReadString() : null;
        var text = (mask & 0x02) != 0 ? ReadString() : null;
        return locale is null && text is null ? LocalizedText.Null : new LocalizedText(locale, text);
    }

    /// <summary>§5.2.2.15: TypeId, encoding byte, and for a body its Int32 length and bytes (copied).</summary>
    public ExtensionObject ReadExtensionObject()
    {
        var typeId = ReadNodeId();
        var encoding = ReadByte();
        switch (encoding)
        {
            case 0x00:
                return typeId.IsNull ? ExtensionObject.Null : ExtensionObject.Empty(typeId);
            case 0x01:
                return ExtensionObject.FromBinary(typeId, ReadByteString() ?? []);
            case 0x02:
                return ExtensionObject.FromXml(typeId, ReadXmlElement() ?? "");
            default:
                return OpcUaThrow.Decoding<ExtensionObject>($"unknown ExtensionObject encoding 0x{encoding:X2}");
        }
    }

    /// <summary>
    /// The header of an ExtensionObject whose binary body the caller decodes in place (notifications, filters):
    /// returns the TypeId and the body's length, or -1 when there is no binary body.
    /// </summary>
    public (NodeId TypeId, int BodyLength) ReadExtensionObjectHeader()
    {
        var typeId = ReadNodeId();
        var encoding = ReadByte();
        if (encoding == 0x00)
        {
            return (typeId, -1);
        }
        if (encoding is not (0x01 or 0x02))
        {
            OpcUaThrow.Decoding($"unknown ExtensionObject encoding 0x{encoding:X2}");
        }
        var length = ReadLength(_limits.MaxByteStringLength, "ExtensionObject length");
        if (encoding == 0x02)
        {
            Skip(Math.Max(length, 0));
            return (typeId, -1);
        }
        return (typeId, Math.Max(length, 0));
    }

    /// <summary>§5.2.2.17: mask (0x01 value, 0x02 status, 0x04/0x10 source time/ps, 0x08/0x20 server time/ps).</summary>
    public DataValue ReadDataValue()
    {
        EnterNested();
        var mask = ReadByte();
        if ((mask & 0xC0) != 0)
        {
            OpcUaThrow.Decoding($"DataValue mask 0x{mask:X2} has unknown bits");
        }
        var value = (mask & 0x01) != 0 ? ReadVariant() : Variant.Null;
        var status = (mask & 0x02) != 0 ? ReadStatusCode() : default;
        var sourceTimestamp = (mask & 0x04) != 0 ? ReadDateTime() : DateTime.MinValue;
        var sourcePicoseconds = (mask & 0x10) != 0 ? ReadUInt16() : (ushort)0;
        var serverTimestamp = (mask & 0x08) != 0 ? ReadDateTime() : DateTime.MinValue;
        var serverPicoseconds = (mask & 0x20) != 0 ? ReadUInt16() : (ushort)0;
        LeaveNested();
        return new DataValue(value, status, sourceTimestamp, serverTimestamp, sourcePicoseconds, serverPicoseconds);
    }

    /// <summary>§5.2.2.12: mask, then SymbolicId, NamespaceUri, Locale, LocalizedText, AdditionalInfo, inner status, inner info. Mask 0 is null.</summary>
    public DiagnosticInfo? ReadDiagnosticInfo()
    {
        var mask = ReadByte();
        if (mask == 0)
        {
            return null;
        }
        if ((mask & 0x80) != 0)
        {
            OpcUaThrow.Decoding($"DiagnosticInfo mask 0x{mask:X2} has unknown bits");
        }
        EnterNested();
        var symbolicId = (mask & 0x01) != 0 ? ReadInt32() : (int?)null;
        var namespaceUri = (mask & 0x02) != 0 ? ReadInt32() : (int?)null;
        var locale = (mask & 0x08) != 0 ? ReadInt32() : (int?)null;
        var localizedText = (mask & 0x04) != 0 ? ReadInt32() : (int?)null;
        var additionalInfo = (mask & 0x10) != 0 ? ReadString() : null;
        var innerStatus = (mask & 0x20) != 0 ? ReadStatusCode() : (StatusCode?)null;
        var inner = (mask & 0x40) != 0 ? ReadDiagnosticInfo() : null;
        LeaveNested();
        // Flags whose fields decode to nothing (a null string, an empty inner info) say nothing either.
        return symbolicId is null && namespaceUri is null && locale is null && localizedText is null && additionalInfo is null && innerStatus is null && inner is null
            ? null
            : new DiagnosticInfo(symbolicId, namespaceUri, locale, localizedText, additionalInfo, innerStatus, inner);
    }
}
