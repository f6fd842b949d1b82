using System.Collections.Concurrent;
using Fabrica.Edge.Configuration;
using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Services;
using Microsoft.Extensions.Logging;

namespace Fabrica.Edge.Adapters.OpcUa;

/// <summary>
/// One OPC UA server. The edge subscribes (OPC 10000-4 §5.13) instead of polling: every value the server reports
/// arrives once, in order, with its status code and timestamps, also across a dropped connection (the client
/// re-activates the session and republishes) and a server restart (the client re-creates the subscriptions; the
/// only gap is the downtime). Writes from edge rules and platform commands go out as Write of the Value attribute,
/// encoded as the node's data type; the methods of the configuration run as commands (Call).
/// </summary>
internal sealed partial class OpcUaDeviceAdapter : ISubscribingDeviceAdapter, ICommandDeviceAdapter
{
    /// <summary>The command every device understands: <c>{"tag": "…", "value": …}</c> (reserved, not a method name).</summary>
    public const string WriteCommand = "write";

    private readonly string _deviceId;
    private readonly OpcUaDeviceConfig _config;
    private readonly AdapterContext _context;
    private readonly TimeSpan _badAfter;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ResolvedNode> _resolved = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private volatile OpcUaClient? _client;
    private volatile string? _lastError;
    private volatile int _state = (int)DeviceState.Disconnected;

    public OpcUaDeviceAdapter(DeviceOptions device, OpcUaDeviceConfig config, AdapterContext context)
    {
        _deviceId = device.Id;
        _config = config;
        _context = context;
        _badAfter = device.EffectiveReadTimeout;
        _logger = context.LoggerFactory.CreateLogger("Fabrica.Edge.Adapters.OpcUa.OpcUaDeviceAdapter");
    }

    public DeviceState State => (DeviceState)_state;

    public string? LastError => _lastError;

    public IReadOnlyCollection<string> Commands => [.. _config.Settings.Methods.Keys];

    /// <summary>The client of the current connection (tests drop its connection).</summary>
    internal OpcUaClient? Client => _client;

    /// <summary>
    /// Opens a fresh client (secure channel and session). From then on the client reconnects by itself. Connects never
    /// overlap: one the runtime gave up on (read timeout) finishes first, and the next one replaces its client.
    /// </summary>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken = default)
    {
        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private async ValueTask ConnectOnceAsync(CancellationToken cancellationToken)
    {
        _state = (int)DeviceState.Connecting;
        if (Interlocked.Exchange(ref _client, null) is { } old)
            await old.DisposeAsync().ConfigureAwait(false);
        _resolved.Clear();
        OpcUaClient client;
        try
        {
            client = await OpcUaClient.ConnectAsync(_config.Settings.Endpoint, _config.Settings.ToClientOptions(_deviceId, _context.LoggerFactory), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is OpcUaServiceException or IOException or System.Net.Sockets.SocketException)
        {
            Fail(e.Message);
            throw;
        }
        client.ConnectionLost += OnConnectionLost;
        client.Reconnected += OnReconnected;
        _client = client;
        _lastError = null;
        _state = (int)DeviceState.Connected;
    }

    /// <summary>
    /// One Read of the tags' values (OPC 10000-4 §5.10.2). The runtime subscribes instead (<see cref="RunSubscriptionAsync"/>);
    /// this serves one-off reads.
    /// </summary>
    public async ValueTask ReadAsync(IReadOnlyList<TagOptions> tags, Memory<TagReading> readings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var client = _client ?? throw new InvalidOperationException($"Not connected to {_deviceId}.");
        var nodes = new ReadValueId[tags.Count];
        for (var i = 0; i < tags.Count; i++)
            nodes[i] = new ReadValueId((await ResolveAsync(client, tags[i].Name, cancellationToken).ConfigureAwait(false)).NodeId);
        var values = await client.ReadAsync(nodes, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < tags.Count; i++)
            readings.Span[i] = OpcUaValues.ToReading(values[i], _config.Settings.Timestamps, out _);
    }

    public async ValueTask WriteAsync(TagOptions tag, SampleValue value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var client = _client ?? throw new InvalidOperationException($"Not connected to {_deviceId}; the write to {tag.Name} was not sent.");
        var node = await ResolveAsync(client, tag.Name, cancellationToken).ConfigureAwait(false);
        var type = node.DataType ?? throw new InvalidOperationException(
            $"{_deviceId}.{tag.Name}: the node's data type {node.DataTypeId} is not a built-in scalar type; set the tag's \"dataType\" (e.g. \"Double\") to write it.");
        var status = await client.WriteValueAsync(node.NodeId, OpcUaValues.ToVariant(value, type, tag.Name), cancellationToken).ConfigureAwait(false);
        if (!status.IsGood)
            throw new InvalidOperationException($"{_deviceId}.{tag.Name}: the server refused the write of {value} with {status}.");
        Log.Written(_logger, _deviceId, tag.Name, node.NodeId.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await _connectGate.WaitAsync().ConfigureAwait(false);
        _state = (int)DeviceState.Disconnected;
        if (Interlocked.Exchange(ref _client, null) is { } client)
            await client.DisposeAsync().ConfigureAwait(false);
        _connectGate.Release();
    }

    /// <summary>The tag's node (a browse path is translated once per connection) and the type its writes are encoded as.</summary>
    private async ValueTask<ResolvedNode> ResolveAsync(OpcUaClient client, string tagName, CancellationToken cancellationToken)
    {
        if (_resolved.TryGetValue(tagName, out var known))
            return known;
        var tag = _config.Tags.TryGetValue(tagName, out var t) ? t : throw new ArgumentException($"Device {_deviceId} has no OPC UA tag {tagName}.", nameof(tagName));
        var nodeId = tag.Address.NodeId ?? await client.TranslateBrowsePathAsync(WellKnownNodes.ObjectsFolder, tag.Address.BrowsePath!, cancellationToken).ConfigureAwait(false);
        NodeId? dataTypeId = null;
        var type = tag.DataType;
        if (type is null)
        {
            var read = await client.ReadAsync([new ReadValueId(nodeId, AttributeId.DataType)], cancellationToken).ConfigureAwait(false);
            dataTypeId = read[0].Value.Value as NodeId?;
            type = dataTypeId is { } id ? BuiltInTypeOf(id) : null;
        }
        return _resolved[tagName] = new ResolvedNode(nodeId, type, dataTypeId);
    }

    /// <summary>
    /// The built-in type values of a DataType are encoded as (OPC 10000-3 §8.2 subtypes in namespace 0 included:
    /// Duration is a Double, UtcTime a DateTime, Enumerations an Int32); null when only the server's type system knows.
    /// </summary>
    internal static BuiltInType? BuiltInTypeOf(NodeId dataType) => dataType is { NamespaceIndex: 0, IdType: NodeIdType.Numeric } id
        ? id.NumericIdentifier switch
        {
            >= 1 and <= 21 when OpcUaConfigReader.WritableTypes.Contains((BuiltInType)id.NumericIdentifier) => (BuiltInType)id.NumericIdentifier,
            29 => BuiltInType.Int32,          // Enumeration
            288 or 289 => BuiltInType.UInt32, // IntegerId, Counter
            290 => BuiltInType.Double,        // Duration
            294 => BuiltInType.DateTime,      // UtcTime
            295 => BuiltInType.String,        // LocaleId
            _ => null,
        }
        : null;

    private void Fail(string reason)
    {
        _lastError = reason;
        _state = (int)DeviceState.Faulted;
    }

    private sealed record ResolvedNode(NodeId NodeId, BuiltInType? DataType, NodeId? DataTypeId);
}
