using Fabrica.Protocols.OpcUa.Services;

namespace Fabrica.Protocols.OpcUa;

/// <summary>View, Attribute and Method services (OPC 10000-4 §5.8, §5.10, §5.11).</summary>
public sealed partial class OpcUaClient
{
    /// <summary>
    /// All forward hierarchical references of <paramref name="nodeId"/>: Browse, then BrowseNext with each
    /// continuation point until the server has no more (§5.8.3), so the result does not depend on the page size.
    /// </summary>
    public async Task<IReadOnlyList<ReferenceDescription>> BrowseAsync(NodeId nodeId, CancellationToken cancellationToken = default)
    {
        var description = new BrowseDescription(nodeId, BrowseDirection.Forward, WellKnownNodes.HierarchicalReferences, IncludeSubtypes: true);
        var response = await SendAsync<BrowseResponse>(new BrowseRequest(_options.MaxReferencesPerBrowse, [description]), cancellationToken).ConfigureAwait(false);
        var result = Single(response.Results, "Browse");
        var references = new List<ReferenceDescription>(result.References);
        BrowsePages = 1;
        while (result.ContinuationPoint is { Length: > 0 } continuation)
        {
            var next = await SendAsync<BrowseNextResponse>(new BrowseNextRequest(false, [continuation]), cancellationToken).ConfigureAwait(false);
            result = Single(next.Results, "BrowseNext");
            references.AddRange(result.References);
            BrowsePages++;
        }
        return references;
    }

    /// <summary>Pages (Browse + BrowseNext calls) the last <see cref="BrowseAsync"/> took.</summary>
    public int BrowsePages { get; private set; }

    /// <summary>TranslateBrowsePathsToNodeIds (§5.8.4) along hierarchical references, e.g. Objects / 1:Fabrica / 1:Counter.</summary>
    public async Task<NodeId> TranslateBrowsePathAsync(NodeId start, IReadOnlyList<QualifiedName> path, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync<TranslateBrowsePathsResponse>(new TranslateBrowsePathsRequest([(start, path.ToArray())]), cancellationToken).ConfigureAwait(false);
        var result = Single(response.Results, "TranslateBrowsePathsToNodeIds");
        if (result.Targets.FirstOrDefault(t => t.RemainingPathIndex == uint.MaxValue) is not { } target || target.TargetId.ServerIndex != 0)
        {
            throw new OpcUaServiceException(StatusCodes.BadNodeIdUnknown, $"browse path {string.Join('/', path)} has no local target");
        }
        return target.TargetId.NodeId;
    }

    /// <summary>Read (§5.10.2) of any attributes; one DataValue per item, in order, with its own status.</summary>
    public async Task<IReadOnlyList<DataValue>> ReadAsync(IReadOnlyList<ReadValueId> nodes, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync<ReadResponse>(new ReadRequest(0, TimestampsToReturn.Both, nodes), cancellationToken).ConfigureAwait(false);
        return CheckCount(response.Results, nodes.Count, "Read");
    }

    /// <summary>The Value attribute of one node.</summary>
    public async Task<DataValue> ReadValueAsync(NodeId nodeId, CancellationToken cancellationToken = default) =>
        (await ReadAsync([new ReadValueId(nodeId)], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Write (§5.10.4); one StatusCode per item.</summary>
    public async Task<IReadOnlyList<StatusCode>> WriteAsync(IReadOnlyList<WriteValue> values, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync<WriteResponse>(new WriteRequest(values), cancellationToken).ConfigureAwait(false);
        return CheckCount(response.Results, values.Count, "Write");
    }

    /// <summary>Writes the Value attribute of one node (value only: no status or timestamps, which servers may refuse).</summary>
    public async Task<StatusCode> WriteValueAsync(NodeId nodeId, Variant value, CancellationToken cancellationToken = default) =>
        (await WriteAsync([new WriteValue(nodeId, new DataValue(value))], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Call (§5.11.2) of one method; a Bad result throws with the method's status.</summary>
    public async Task<IReadOnlyList<Variant>> CallAsync(NodeId objectId, NodeId methodId, IReadOnlyList<Variant> inputArguments, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync<CallResponse>(new CallRequest([new CallMethodRequest(objectId, methodId, inputArguments)]), cancellationToken).ConfigureAwait(false);
        var result = Single(response.Results, "Call");
        if (result.StatusCode.IsBad)
        {
            throw new OpcUaServiceException(result.StatusCode, $"method {methodId} on {objectId} failed");
        }
        return result.OutputArguments;
    }

    private static T Single<T>(T[] results, string service) => results.Length == 1
        ? results[0]
        : throw new OpcUaServiceException(StatusCodes.BadUnknownResponse, $"{service} returned {results.Length} results for one operation");

    private static T[] CheckCount<T>(T[] results, int expected, string service) => results.Length == expected
        ? results
        : throw new OpcUaServiceException(StatusCodes.BadUnknownResponse, $"{service} returned {results.Length} results for {expected} operations");
}
