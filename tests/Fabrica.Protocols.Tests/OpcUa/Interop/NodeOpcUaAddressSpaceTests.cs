using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Services;

namespace Fabrica.Protocols.Tests.OpcUa.Interop;

/// <summary>BrowseTreeAsync (what <c>fabrica opcua browse</c> prints) against node-opcua's address space.</summary>
[Collection(NodeOpcUaCollection.Name)]
public sealed class NodeOpcUaAddressSpaceTests(NodeOpcUaServer server)
{
    [Fact]
    public async Task The_tree_below_a_folder_has_every_node_with_its_browse_path_and_the_variables_data_types()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);

        var root = await client.BrowseTreeAsync(NodeId.Parse("ns=1;s=Fabrica"), depth: 3);
        var nodes = root.DescendantsAndSelf().Skip(1).ToDictionary(n => n.BrowsePath);

        // Tree/Branch_00..24/Leaf_0..5: 1 + 25 + 150 nodes, across several browse pages.
        Assert.Equal(176, nodes.Keys.Count(p => p.StartsWith("1:Tree", StringComparison.Ordinal)));
        var leaf = nodes["1:Tree/1:Branch_07/1:Leaf_3"];
        Assert.Equal(NodeId.Parse("ns=1;s=Tree.Branch_07.Leaf_3"), leaf.NodeId);
        Assert.Equal(NodeClass.Variable, leaf.NodeClass);
        Assert.Equal(new NodeId((uint)BuiltInType.Int32), leaf.DataType);
        Assert.Equal(new NodeId((uint)BuiltInType.UInt32), nodes["1:Counter"].DataType);
        Assert.Equal(new NodeId((uint)BuiltInType.Double), nodes["1:Setpoint"].DataType);
        Assert.Equal(NodeClass.Object, nodes["1:Tree/1:Branch_07"].NodeClass);
        Assert.Null(nodes["1:Tree/1:Branch_07"].DataType);
    }

    [Fact]
    public async Task The_depth_limits_how_far_the_tree_goes()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);

        var root = await client.BrowseTreeAsync(NodeId.Parse("ns=1;s=Fabrica"), depth: 1);

        Assert.Contains(root.Children, n => n.BrowsePath == "1:Tree");
        Assert.All(root.Children, n => Assert.Empty(n.Children));
    }
}
