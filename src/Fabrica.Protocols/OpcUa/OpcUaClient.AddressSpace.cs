using Fabrica.Protocols.OpcUa.Services;

namespace Fabrica.Protocols.OpcUa;

/// <summary>A node found by <see cref="OpcUaClient.BrowseTreeAsync"/>: where it is, what it is, and what is below it.</summary>
/// <param name="BrowsePath">Browse names from the start node, e.g. <c>1:Fabrica/1:Counter</c> (the form TranslateBrowsePath takes).</param>
/// <param name="DataType">The DataType attribute of a Variable (null otherwise).</param>
public sealed record AddressSpaceNode(NodeId NodeId, string BrowsePath, QualifiedName BrowseName, string DisplayName, NodeClass NodeClass, NodeId? DataType, IReadOnlyList<AddressSpaceNode> Children)
{
    /// <summary>This node and everything below it, depth first.</summary>
    public IEnumerable<AddressSpaceNode> DescendantsAndSelf()
    {
        yield return this;
        foreach (var descendant in Children.SelectMany(c => c.DescendantsAndSelf()))
        {
            yield return descendant;
        }
    }
}

/// <summary>Walking the address space (Browse with continuation points, then Read of the Variables' DataType).</summary>
public sealed partial class OpcUaClient
{
    /// <summary>
    /// The hierarchy below <paramref name="start"/> down to <paramref name="depth"/> levels (1: its children only).
    /// Nodes reached twice (hierarchies may be graphs) are listed once, at their first place.
    /// </summary>
    public async Task<AddressSpaceNode> BrowseTreeAsync(NodeId start, int depth, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        var seen = new HashSet<NodeId> { start };
        var children = await BrowseLevelAsync(start, "", depth, seen, cancellationToken).ConfigureAwait(false);
        var root = new AddressSpaceNode(start, "", default, start.ToString(), NodeClass.Unspecified, null, children);
        var all = root.DescendantsAndSelf().Where(n => n.NodeClass == NodeClass.Variable).ToList();
        if (all.Count == 0)
        {
            return root;
        }
        var dataTypes = new Dictionary<NodeId, NodeId>();
        foreach (var page in all.Chunk(500))
        {
            var values = await ReadAsync(page.Select(n => new ReadValueId(n.NodeId, AttributeId.DataType)).ToArray(), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < page.Length; i++)
            {
                if (values[i].StatusCode.IsGood && values[i].Value.Value is NodeId dataType)
                {
                    dataTypes[page[i].NodeId] = dataType;
                }
            }
        }
        return WithDataTypes(root, dataTypes);
    }

    private async Task<IReadOnlyList<AddressSpaceNode>> BrowseLevelAsync(NodeId parent, string parentPath, int depth, HashSet<NodeId> seen, CancellationToken cancellationToken)
    {
        if (depth == 0)
        {
            return [];
        }
        var nodes = new List<AddressSpaceNode>();
        foreach (var reference in await BrowseAsync(parent, cancellationToken).ConfigureAwait(false))
        {
            if (reference.NodeId.ServerIndex != 0 || !seen.Add(reference.NodeId.NodeId))
            {
                continue;
            }
            var path = parentPath.Length == 0 ? reference.BrowseName.ToString() : $"{parentPath}/{reference.BrowseName}";
            var children = reference.NodeClass is NodeClass.Object or NodeClass.Variable or NodeClass.View
                ? await BrowseLevelAsync(reference.NodeId.NodeId, path, depth - 1, seen, cancellationToken).ConfigureAwait(false)
                : [];
            nodes.Add(new AddressSpaceNode(reference.NodeId.NodeId, path, reference.BrowseName, reference.DisplayName.ToString(), reference.NodeClass, null, children));
        }
        return nodes;
    }

    private static AddressSpaceNode WithDataTypes(AddressSpaceNode node, Dictionary<NodeId, NodeId> dataTypes) => node with
    {
        DataType = dataTypes.TryGetValue(node.NodeId, out var dataType) ? dataType : null,
        Children = node.Children.Select(c => WithDataTypes(c, dataTypes)).ToArray(),
    };
}
