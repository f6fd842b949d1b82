using CsCheck;
using Fabrica.Protocols.OpcUa;

namespace Fabrica.Protocols.Tests.OpcUa.Encoding;

/// <summary>CsCheck generators of built-in values, nested up to a given depth.</summary>
internal static class OpcUaGenerators
{
    public static readonly Gen<string?> String = Gen.OneOf(Gen.Const((string?)null), Gen.String[0, 20].Select(s => (string?)s));
    public static readonly Gen<byte[]?> ByteString = Gen.OneOf(Gen.Const((byte[]?)null), Gen.Byte.Array[0, 20].Select(b => (byte[]?)b));
    public static readonly Gen<DateTime> DateTime = Gen.Long[new System.DateTime(1601, 1, 2).Ticks, new System.DateTime(9998, 1, 1).Ticks]
        .Select(t => new System.DateTime(t, DateTimeKind.Utc));

    public static readonly Gen<NodeId> NodeId = Gen.OneOf(
        Gen.Select(Gen.UShort, Gen.UInt, (ns, id) => new NodeId(id, ns)),
        Gen.Select(Gen.UShort, Gen.Byte, (ns, id) => new NodeId(id, ns)),
        Gen.Select(Gen.UShort, Gen.String[0, 20], (ns, id) => new NodeId(id, ns)),
        Gen.Select(Gen.UShort, Gen.Guid, (ns, id) => new NodeId(id, ns)),
        Gen.Select(Gen.UShort, Gen.Byte.Array[0, 16], (ns, id) => new NodeId(id, ns)));

    public static readonly Gen<ExpandedNodeId> ExpandedNodeId = Gen.Select(NodeId, String, Gen.UInt, (n, uri, server) => new ExpandedNodeId(n, uri, server));
    public static readonly Gen<QualifiedName> QualifiedName = Gen.Select(Gen.UShort, String, (ns, name) => new QualifiedName(ns, name));
    public static readonly Gen<LocalizedText> LocalizedText = Gen.Select(String, String, (l, t) => l is null && t is null ? Fabrica.Protocols.OpcUa.LocalizedText.Null : new LocalizedText(l, t));
    public static readonly Gen<StatusCode> StatusCode = Gen.UInt.Select(c => new StatusCode(c));

    public static readonly Gen<ExtensionObject> ExtensionObject = Gen.OneOf(
        Gen.Const(Fabrica.Protocols.OpcUa.ExtensionObject.Null),
        Gen.Select(NodeId, Gen.Byte.Array[0, 30], Fabrica.Protocols.OpcUa.ExtensionObject.FromBinary),
        Gen.Select(NodeId, Gen.String[0, 20], Fabrica.Protocols.OpcUa.ExtensionObject.FromXml));

    public static Gen<DiagnosticInfo?> DiagnosticInfo(int depth) => Gen.Frequency(
        (1, Gen.Const((DiagnosticInfo?)null)),
        (3, Gen.Select(Gen.Int.Nullable(), Gen.Int.Nullable(), Gen.Int.Nullable(), Gen.Int.Nullable(), String, StatusCode.Nullable(),
            depth > 0 ? DiagnosticInfo(depth - 1) : Gen.Const((DiagnosticInfo?)null),
            (a, b, c, d, info, inner, nested) => a is null && b is null && c is null && d is null && info is null && inner is null && nested is null
                ? null
                : (DiagnosticInfo?)new DiagnosticInfo(a, b, c, d, info, inner, nested))));

    public static Gen<Variant> Variant(int depth) => Gen.OneOf(Scalar(depth), Array(depth), Matrix);

    private static Gen<Variant> Scalar(int depth)
    {
        var simple = Gen.OneOf(
            Gen.Const(Fabrica.Protocols.OpcUa.Variant.Null),
            Gen.Bool.Select(Fabrica.Protocols.OpcUa.Variant.From),
            Gen.SByte.Select(Fabrica.Protocols.OpcUa.Variant.From),
            Gen.Byte.Select(Fabrica.Protocols.OpcUa.Variant.From),
            Gen.Short.Select(Fabrica.Protocols.OpcUa.Variant.From),
            Gen.UShort.Select(Fabrica.Protocols.OpcUa.Variant.From),
            Gen.Int.Select(Fabrica.Protocols.OpcUa.Variant.From),
            Gen.UInt.Select(Fabrica.Protocols.OpcUa.Variant.From),
            Gen.Long.Select(Fabrica.Protocols.OpcUa.Variant.From),
            Gen.ULong.Select(Fabrica.Protocols.OpcUa.Variant.From),
            Gen.Float.Select(Fabrica.Protocols.OpcUa.Variant.From),
            Gen.Double.Select(Fabrica.Protocols.OpcUa.Variant.From),
            String.Select(Fabrica.Protocols.OpcUa.Variant.From),
            DateTime.Select(Fabrica.Protocols.OpcUa.Variant.From),
            Gen.Guid.Select(Fabrica.Protocols.OpcUa.Variant.From),
            ByteString.Select(Fabrica.Protocols.OpcUa.Variant.From),
            String.Select(Fabrica.Protocols.OpcUa.Variant.FromXmlElement),
            NodeId.Select(Fabrica.Protocols.OpcUa.Variant.From),
            ExpandedNodeId.Select(Fabrica.Protocols.OpcUa.Variant.From),
            StatusCode.Select(Fabrica.Protocols.OpcUa.Variant.From),
            QualifiedName.Select(Fabrica.Protocols.OpcUa.Variant.From),
            LocalizedText.Select(Fabrica.Protocols.OpcUa.Variant.From),
            ExtensionObject.Select(Fabrica.Protocols.OpcUa.Variant.From),
            DiagnosticInfo(2).Select(Fabrica.Protocols.OpcUa.Variant.From));
        return depth <= 0 ? simple : Gen.Frequency((8, simple), (1, DataValue(depth - 1).Select(Fabrica.Protocols.OpcUa.Variant.From)));
    }

    private static Gen<Variant> Array(int depth)
    {
        var arrays = new List<Gen<Variant>>
        {
            Gen.Bool.Array[0, 5].Select(a => Fabrica.Protocols.OpcUa.Variant.FromArray(BuiltInType.Boolean, a)),
            Gen.Byte.Array[0, 5].Select(a => Fabrica.Protocols.OpcUa.Variant.FromArray(BuiltInType.Byte, a)),
            Gen.Int.Array[0, 5].Select(a => Fabrica.Protocols.OpcUa.Variant.FromArray(BuiltInType.Int32, a)),
            Gen.Double.Array[0, 5].Select(a => Fabrica.Protocols.OpcUa.Variant.FromArray(BuiltInType.Double, a)),
            String.Array[0, 5].Select(a => Fabrica.Protocols.OpcUa.Variant.FromArray(BuiltInType.String, a)),
            DateTime.Array[0, 5].Select(a => Fabrica.Protocols.OpcUa.Variant.FromArray(BuiltInType.DateTime, a)),
            ByteString.Array[0, 5].Select(a => Fabrica.Protocols.OpcUa.Variant.FromArray(BuiltInType.ByteString, a)),
            NodeId.Array[0, 5].Select(a => Fabrica.Protocols.OpcUa.Variant.FromArray(BuiltInType.NodeId, a)),
            LocalizedText.Array[0, 5].Select(a => Fabrica.Protocols.OpcUa.Variant.FromArray(BuiltInType.LocalizedText, a)),
        };
        if (depth > 0)
        {
            arrays.Add(Variant(depth - 1).Array[0, 4].Select(a => Fabrica.Protocols.OpcUa.Variant.FromArray(BuiltInType.Variant, a)));
            arrays.Add(DataValue(depth - 1).Array[0, 3].Select(a => Fabrica.Protocols.OpcUa.Variant.FromArray(BuiltInType.DataValue, a)));
        }
        return Gen.OneOf([.. arrays]);
    }

    private static readonly Gen<Variant> Matrix = Gen.Select(Gen.Int[1, 4], Gen.Int[1, 4], Gen.Int[0, 3])
        .SelectMany(t => Gen.Int.Array[t.Item1 * t.Item2 * Math.Max(t.Item3, 1)].Select(elements =>
            Fabrica.Protocols.OpcUa.Variant.FromMatrix(BuiltInType.Int32, elements, t.Item3 == 0 ? [t.Item1, t.Item2] : [t.Item1, t.Item2, t.Item3])));

    public static Gen<DataValue> DataValue(int depth) => Gen.Select(
        depth > 0 ? Variant(depth - 1) : Gen.Const(Fabrica.Protocols.OpcUa.Variant.Null),
        StatusCode, Gen.OneOf(Gen.Const(System.DateTime.MinValue), DateTime), Gen.OneOf(Gen.Const(System.DateTime.MinValue), DateTime), Gen.UShort, Gen.UShort,
        (v, s, st, sv, sp, svp) => new DataValue(v, s, st, sv, sp, svp));
}
