using System.Buffers.Binary;
using Fabrica.Protocols.OpcUa;

namespace Fabrica.Protocols.Tests.OpcUa.Interop;

/// <summary>
/// The built-in types that carry other values (OPC 10000-6 §5.2.2.15–§5.2.2.17, §5.2.2.12), read from and written to
/// node-opcua: a structure in an ExtensionObject (a Range), a DataValue, a DiagnosticInfo and an array of Variants of
/// mixed types. With the scalars and arrays of NodeOpcUaServicesTests, every built-in type crosses the wire both ways.
/// </summary>
[Collection(NodeOpcUaCollection.Name)]
public sealed class NodeOpcUaStructuredTypesTests(NodeOpcUaServer server)
{
    private static readonly NodeId RangeBinaryEncoding = new(886);

    [Fact]
    public async Task Reading_structured_values_gives_what_the_server_defines()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);

        var values = await client.ReadAsync([.. new[] { "ExtensionObject", "DataValue", "DiagnosticInfo", "Variants" }
            .Select(n => new Protocols.OpcUa.Services.ReadValueId(NodeId.Parse($"ns=1;s=Structured.{n}")))]);

        Assert.All(values, v => Assert.True(v.StatusCode.IsGood, v.StatusCode.ToString()));
        var range = Assert.IsType<ExtensionObject>(values[0].Value.Value);
        Assert.Equal(RangeBinaryEncoding, range.TypeId);
        Assert.Equal((-1.5, 99.25), Range(range.Body!));
        var inner = Assert.IsType<DataValue>(values[1].Value.Value);
        Assert.Equal(Variant.From((short)7), inner.Value);
        Assert.Equal(0x40900000u, inner.StatusCode.Code); // UncertainLastUsableValue
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, 6, DateTimeKind.Utc), inner.SourceTimestamp);
        Assert.Equal(new DiagnosticInfo(SymbolicId: 3, LocalizedText: 5, AdditionalInfo: "more", InnerStatusCode: StatusCodes.BadTimeout), values[2].Value.Value);
        Assert.Equal(BuiltInType.Variant, values[3].Value.Type);
        Assert.Equal(new[] { Variant.From(42), Variant.From("mixed"), Variant.From(true) }, (Variant[])values[3].Value.ArrayValue!);
    }

    [Fact]
    public async Task Writing_structured_values_and_reading_them_back_gives_the_written_values()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);
        var body = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(body, 0.125);
        BinaryPrimitives.WriteDoubleLittleEndian(body.AsSpan(8), 4096);
        var written = new Dictionary<string, Variant>
        {
            ["ExtensionObject"] = Variant.From(ExtensionObject.FromBinary(RangeBinaryEncoding, body)),
            ["DataValue"] = Variant.From(new DataValue(Variant.From("inner"), StatusCodes.Good, new DateTime(2030, 6, 7, 8, 9, 10, DateTimeKind.Utc))),
            ["DiagnosticInfo"] = Variant.From(new DiagnosticInfo(SymbolicId: 11, AdditionalInfo: "written", InnerStatusCode: StatusCodes.BadNodeIdUnknown)),
            ["Variants"] = Variant.FromArray(BuiltInType.Variant, new[] { Variant.From(2.5), Variant.From((byte)9), Variant.From(Guid.Parse("0b4a5c6d-1234-4abc-9def-0123456789ab")) }),
        };

        foreach (var (name, value) in written)
        {
            var status = await client.WriteValueAsync(NodeId.Parse($"ns=1;s=Structured.{name}"), value);
            Assert.True(status.IsGood, $"write {name}: {status}");
        }

        var range = Assert.IsType<ExtensionObject>((await client.ReadValueAsync(NodeId.Parse("ns=1;s=Structured.ExtensionObject"))).Value.Value);
        Assert.Equal((0.125, 4096.0), Range(range.Body!));
        foreach (var name in new[] { "DataValue", "DiagnosticInfo", "Variants" })
        {
            var read = await client.ReadValueAsync(NodeId.Parse($"ns=1;s=Structured.{name}"));
            if (name == "Variants")
                Assert.Equal((Variant[])written[name].ArrayValue!, (Variant[])read.Value.ArrayValue!);
            else
                Assert.Equal((name, written[name]), (name, read.Value));
        }
    }

    private static (double Low, double High) Range(byte[] body) =>
        (BinaryPrimitives.ReadDoubleLittleEndian(body), BinaryPrimitives.ReadDoubleLittleEndian(body.AsSpan(8)));
}
