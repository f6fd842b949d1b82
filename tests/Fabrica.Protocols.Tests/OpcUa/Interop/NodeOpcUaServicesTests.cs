using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Services;

namespace Fabrica.Protocols.Tests.OpcUa.Interop;

/// <summary>Browse, Read, Write, Call and GetEndpoints against the node-opcua server (tests/peers/opcua/server.js).</summary>
[Collection(NodeOpcUaCollection.Name)]
public sealed class NodeOpcUaServicesTests(NodeOpcUaServer server)
{
    private static readonly OpcUaClientOptions SmallPages = new() { MaxReferencesPerBrowse = 10 };

    [Fact]
    public async Task GetEndpoints_lists_the_none_endpoint_with_the_servers_own_host_name()
    {
        var endpoints = await OpcUaClient.GetEndpointsAsync(server.EndpointUrl);

        var none = Assert.Single(endpoints, e => e.SecurityPolicyUri == "http://opcfoundation.org/UA/SecurityPolicy#None");
        Assert.Contains(none.UserIdentityTokens, t => t.TokenType == UserTokenType.Anonymous);
        Assert.EndsWith("/fabrica", none.EndpointUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Browsing_the_whole_tree_follows_continuation_points_and_finds_every_node()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl, SmallPages);
        var tree = await client.TranslateBrowsePathAsync(WellKnownNodes.ObjectsFolder, [new QualifiedName(1, "Fabrica"), new QualifiedName(1, "Tree")]);

        var branches = await client.BrowseAsync(tree);
        Assert.True(client.BrowsePages >= 3, $"25 branches in pages of 10 take 3 pages, took {client.BrowsePages}");
        Assert.Equal(Enumerable.Range(0, 25).Select(b => $"Branch_{b:00}"), branches.Select(r => r.BrowseName.Name).Order());

        var leaves = new List<string>();
        foreach (var branch in branches)
        {
            var children = await client.BrowseAsync(branch.NodeId.NodeId);
            leaves.AddRange(children.Where(c => c.NodeClass == NodeClass.Variable).Select(c => $"{branch.BrowseName.Name}/{c.BrowseName.Name}"));
        }
        Assert.Equal(25 * 6, leaves.Distinct().Count());
        var value = await client.ReadValueAsync(NodeId.Parse("ns=1;s=Tree.Branch_24.Leaf_5"));
        Assert.Equal(2405, value.Value.Value);
    }

    [Fact]
    public async Task Reading_every_scalar_type_gives_the_values_the_server_defines()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);
        var expected = new Dictionary<string, Variant>
        {
            ["Boolean"] = Variant.From(true),
            ["SByte"] = Variant.From((sbyte)-12),
            ["Byte"] = Variant.From((byte)200),
            ["Int16"] = Variant.From((short)-1234),
            ["UInt16"] = Variant.From((ushort)54321),
            ["Int32"] = Variant.From(-123456789),
            ["UInt32"] = Variant.From(3123456789u),
            ["Int64"] = Variant.From(unchecked((long)0xFFFFFFFE_12345678)),
            ["UInt64"] = Variant.From(0x12345678_9ABCDEF0ul),
            ["Float"] = Variant.From(1.5f),
            ["Double"] = Variant.From(3.141592653589793),
            ["String"] = Variant.From("Grüße aus Fabrica"),
            ["DateTime"] = Variant.From(new DateTime(2024, 5, 17, 8, 30, 15, 250, DateTimeKind.Utc)),
            ["Guid"] = Variant.From(Guid.Parse("72962B91-FA75-4AE6-8D28-B404DC7DAF63")),
            ["ByteString"] = Variant.From(new byte[] { 0, 1, 2, 253, 254, 255 }),
            ["XmlElement"] = Variant.FromXmlElement("<a b=\"c\">d</a>"),
            ["NodeId"] = Variant.From(NodeId.Parse("ns=1;s=Setpoint")),
            ["ExpandedNodeId"] = Variant.From(new ExpandedNodeId(new NodeId(2253))),
            ["StatusCode"] = Variant.From(StatusCodes.UncertainInitialValue),
            ["QualifiedName"] = Variant.From(new QualifiedName(1, "Qualified")),
            ["LocalizedText"] = Variant.From(new LocalizedText("de-DE", "Hallo")),
        };
        var names = expected.Keys.ToArray();

        var values = await client.ReadAsync(names.Select(n => new ReadValueId(NodeId.Parse($"ns=1;s=Scalars.{n}"))).ToArray());

        for (var i = 0; i < names.Length; i++)
        {
            Assert.True(values[i].StatusCode.IsGood, $"{names[i]}: {values[i].StatusCode}");
            Assert.Equal((names[i], expected[names[i]]), (names[i], values[i].Value));
        }
    }

    [Fact]
    public async Task Reading_attributes_gives_display_name_data_type_and_value_rank()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);
        var node = NodeId.Parse("ns=1;s=Arrays.Double");

        var values = await client.ReadAsync([new ReadValueId(node, AttributeId.DisplayName), new ReadValueId(node, AttributeId.DataType), new ReadValueId(node, AttributeId.ValueRank), new ReadValueId(node, AttributeId.BrowseName)]);

        Assert.Equal("Double", ((LocalizedText)values[0].Value.Value!).Text);
        Assert.Equal(new NodeId(11), values[1].Value.Value);
        Assert.Equal(1, values[2].Value.Value);
        Assert.Equal(new QualifiedName(1, "Double"), values[3].Value.Value);
    }

    [Fact]
    public async Task Writing_every_scalar_type_and_reading_it_back_gives_the_written_value()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);
        var written = new Dictionary<string, Variant>
        {
            ["Boolean"] = Variant.From(false),
            ["SByte"] = Variant.From(sbyte.MinValue),
            ["Byte"] = Variant.From(byte.MaxValue),
            ["Int16"] = Variant.From(short.MinValue),
            ["UInt16"] = Variant.From(ushort.MaxValue),
            ["Int32"] = Variant.From(int.MinValue),
            ["UInt32"] = Variant.From(uint.MaxValue),
            ["Int64"] = Variant.From(long.MinValue + 1),
            ["UInt64"] = Variant.From(ulong.MaxValue - 1),
            ["Float"] = Variant.From(-0.25f),
            ["Double"] = Variant.From(double.Epsilon),
            ["String"] = Variant.From("written ✓"),
            ["DateTime"] = Variant.From(new DateTime(1999, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc)),
            ["Guid"] = Variant.From(Guid.Parse("0b4a5c6d-1234-4abc-9def-0123456789ab")),
            ["ByteString"] = Variant.From(new byte[] { 9, 8, 7 }),
            ["XmlElement"] = Variant.FromXmlElement("<x/>"),
            ["NodeId"] = Variant.From(new NodeId(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), 1)),
            ["ExpandedNodeId"] = Variant.From(new ExpandedNodeId(new NodeId("Remote", 1))),
            ["StatusCode"] = Variant.From(StatusCodes.BadNodeIdUnknown),
            ["QualifiedName"] = Variant.From(new QualifiedName(0, "Zero")),
            ["LocalizedText"] = Variant.From(new LocalizedText("en", "Hello")),
        };
        foreach (var (name, value) in written)
        {
            var status = await client.WriteValueAsync(NodeId.Parse($"ns=1;s=Writable.{name}"), value);
            Assert.True(status.IsGood, $"write {name}: {status}");
        }

        foreach (var (name, value) in written)
        {
            var read = await client.ReadValueAsync(NodeId.Parse($"ns=1;s=Writable.{name}"));
            Assert.Equal((name, value), (name, read.Value));
        }
    }

    [Fact]
    public async Task Writing_arrays_and_a_matrix_and_reading_them_back_gives_the_written_elements()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);
        var arrays = new (string Name, Variant Value)[]
        {
            ("Boolean", Variant.FromArray(BuiltInType.Boolean, new[] { false, true })),
            ("SByte", Variant.FromArray(BuiltInType.SByte, new sbyte[] { 1, -1 })),
            ("Byte", Variant.FromArray(BuiltInType.Byte, new byte[] { 7, 8, 9, 10 })),
            ("Int16", Variant.FromArray(BuiltInType.Int16, new short[] { -5, 5 })),
            ("UInt16", Variant.FromArray(BuiltInType.UInt16, new ushort[] { 65535 })),
            ("Int32", Variant.FromArray(BuiltInType.Int32, new[] { 1, 2, 3, 4, 5 })),
            ("UInt32", Variant.FromArray(BuiltInType.UInt32, new[] { 4_000_000_000u })),
            ("Float", Variant.FromArray(BuiltInType.Float, new[] { 0.5f, -0.5f })),
            ("Double", Variant.FromArray(BuiltInType.Double, new[] { 1e-300, double.MaxValue })),
            ("String", Variant.FromArray(BuiltInType.String, new string?[] { "x", "yy", "" })),
            ("DateTime", Variant.FromArray(BuiltInType.DateTime, new[] { new DateTime(2020, 2, 29, 0, 0, 0, DateTimeKind.Utc) })),
        };
        foreach (var (name, value) in arrays)
        {
            Assert.True((await client.WriteValueAsync(NodeId.Parse($"ns=1;s=WritableArrays.{name}"), value)).IsGood, name);
        }
        var matrix = Variant.FromMatrix(BuiltInType.Int32, new[] { 6, 5, 4, 3, 2, 1 }, [3, 2]);
        Assert.True((await client.WriteValueAsync(NodeId.Parse("ns=1;s=Matrix"), matrix)).IsGood);

        foreach (var (name, value) in arrays)
        {
            Assert.Equal((name, value), (name, (await client.ReadValueAsync(NodeId.Parse($"ns=1;s=WritableArrays.{name}"))).Value));
        }
        var readMatrix = (await client.ReadValueAsync(NodeId.Parse("ns=1;s=Matrix"))).Value;
        Assert.Equal(matrix, readMatrix);
    }

    [Fact]
    public async Task Reading_every_array_gives_the_elements_the_server_defines()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);

        string[] names = ["Boolean", "SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32", "Float", "Double", "String", "DateTime"];
        var values = await client.ReadAsync(names
            .Select(n => new ReadValueId(NodeId.Parse($"ns=1;s=Arrays.{n}"))).ToArray());

        Assert.Equal(Variant.FromArray(BuiltInType.Boolean, new[] { true, false, true }), values[0].Value);
        Assert.Equal(Variant.FromArray(BuiltInType.SByte, new sbyte[] { -128, 0, 127 }), values[1].Value);
        Assert.Equal(Variant.FromArray(BuiltInType.Byte, new byte[] { 0, 128, 255 }), values[2].Value);
        Assert.Equal(Variant.FromArray(BuiltInType.Int16, new short[] { -32768, 0, 32767 }), values[3].Value);
        Assert.Equal(Variant.FromArray(BuiltInType.UInt16, new ushort[] { 0, 1, 65535 }), values[4].Value);
        Assert.Equal(Variant.FromArray(BuiltInType.Int32, new[] { int.MinValue, 0, int.MaxValue }), values[5].Value);
        Assert.Equal(Variant.FromArray(BuiltInType.UInt32, new[] { 0u, 1u, uint.MaxValue }), values[6].Value);
        Assert.Equal(Variant.FromArray(BuiltInType.Float, new[] { -1.5f, 0f, 2.25f }), values[7].Value);
        Assert.Equal(Variant.FromArray(BuiltInType.Double, new[] { -1e300, 0, Math.PI }), values[8].Value);
        Assert.Equal(Variant.FromArray(BuiltInType.String, new string?[] { "a", "", "ünïcødé" }), values[9].Value);
        Assert.Equal(Variant.FromArray(BuiltInType.DateTime, new[] { new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2030, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc) }), values[10].Value);
    }

    [Fact]
    public async Task Writing_a_read_only_variable_gives_bad_not_writable()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);

        var status = await client.WriteValueAsync(NodeId.Parse("ns=1;s=Scalars.Double"), Variant.From(1.0));

        Assert.Equal(StatusCodes.BadNotWritable, status.WithoutInfoBits);
    }

    [Fact]
    public async Task Writing_a_value_of_the_wrong_type_gives_a_bad_status_not_an_exception()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);

        var status = await client.WriteValueAsync(NodeId.Parse("ns=1;s=Setpoint"), Variant.From("not a double"));

        Assert.True(status.IsBad);
        Assert.Equal(Quality.Bad, status.ToQuality());
    }

    [Fact]
    public async Task Calling_a_method_with_arguments_returns_its_results()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);

        var outputs = await client.CallAsync(NodeId.Parse("ns=1;s=Methods"), NodeId.Parse("ns=1;s=Methods.Describe"), [Variant.From(21), Variant.From("pumps")]);

        Assert.Equal([Variant.From("21 x pumps"), Variant.From(42)], outputs);
    }

    [Fact]
    public async Task Reading_an_unknown_node_gives_bad_node_id_unknown()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);

        var value = await client.ReadValueAsync(NodeId.Parse("ns=1;s=Nope"));

        Assert.Equal(StatusCodes.BadNodeIdUnknown, value.StatusCode.WithoutInfoBits);
    }
}
