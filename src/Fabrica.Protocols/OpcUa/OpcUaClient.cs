using System.Collections.Concurrent;
using Fabrica.Protocols.OpcUa.Diagnostics;
using Fabrica.Protocols.OpcUa.SecureChannel;
using Fabrica.Protocols.OpcUa.Services;
using Fabrica.Protocols.OpcUa.Session;
using Fabrica.Protocols.OpcUa.Subscriptions;
using Microsoft.Extensions.Logging;

namespace Fabrica.Protocols.OpcUa;

/// <summary>
/// An OPC UA client over UA TCP (OPC 10000-6 §7.1) with SecurityPolicy None: one secure channel, one session,
/// the View, Attribute, Method and Subscription services. When the connection drops, the client opens a new
/// channel, activates the same session on it and asks for notifications it missed (Republish), so subscribers see
/// every value once. Endpoint URLs announced by the server are never dialled: the client stays on the host and
/// port it was given (servers often announce a machine name that does not resolve from the client).
/// </summary>
public sealed partial class OpcUaClient : IAsyncDisposable
{
    private readonly OpcUaEndpoint _endpoint;
    private readonly OpcUaClientOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<uint, OpcUaSubscription> _subscriptions = new();
    private volatile UaSecureChannel _channel;
    private volatile TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private OpcUaSession _session;
    private Task _supervisor = Task.CompletedTask;
    private Task _keepAlive = Task.CompletedTask;
    private readonly ILogger _logger;
    private readonly KeyValuePair<string, object?> _endpointTag;

    private OpcUaClient(OpcUaEndpoint endpoint, OpcUaClientOptions options, UaSecureChannel channel, OpcUaSession session)
    {
        _endpoint = endpoint;
        _options = options;
        _channel = channel;
        _session = session;
        _logger = options.LoggerFactory.CreateLogger<OpcUaClient>();
        _endpointTag = OpcUaMetrics.EndpointTag(endpoint.Url);
        _connected.SetResult();
    }

    public NodeId SessionId => _session.SessionId;

    public IReadOnlyList<EndpointDescription> ServerEndpoints => _session.ServerEndpoints;

    /// <summary>The user token policy the session was activated with (which decides how the password travelled).</summary>
    public UserTokenPolicy? UserTokenPolicy => _session.UserTokenPolicy;

    /// <summary>How many times the client has re-established its connection.</summary>
    public int Reconnects { get; private set; }

    internal UaSecureChannel Channel => _channel;

    internal void CountNotification() => OpcUaMetrics.Notifications.Add(1, _endpointTag);

    /// <summary>Connects, creates and activates a session.</summary>
    public static async Task<OpcUaClient> ConnectAsync(string endpointUrl, OpcUaClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= OpcUaClientOptions.Default;
        var endpoint = OpcUaEndpoint.Parse(endpointUrl);
        var channel = await UaSecureChannel.OpenAsync(endpoint.Host, endpoint.Port, endpoint.Url, options.Channel, cancellationToken).ConfigureAwait(false);
        try
        {
            var session = await OpcUaSession.CreateAsync(channel, options, cancellationToken).ConfigureAwait(false);
            await session.ActivateAsync(channel, options, cancellationToken).ConfigureAwait(false);
            var client = new OpcUaClient(endpoint, options, channel, session);
            OpcUaLog.Connected(client._logger, endpoint.Url, session.SessionId, session.UserTokenPolicy?.PolicyId);
            client._supervisor = client.SuperviseAsync();
            client._keepAlive = client.KeepAliveAsync();
            return client;
        }
        catch
        {
            await channel.CloseAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>GetEndpoints (OPC 10000-4 §5.4.4) on a channel of its own, without a session.</summary>
    public static async Task<IReadOnlyList<EndpointDescription>> GetEndpointsAsync(string endpointUrl, OpcUaClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= OpcUaClientOptions.Default;
        var endpoint = OpcUaEndpoint.Parse(endpointUrl);
        var channel = await UaSecureChannel.OpenAsync(endpoint.Host, endpoint.Port, endpoint.Url, options.Channel, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await channel.SendRequestAsync<GetEndpointsResponse>(new GetEndpointsRequest(endpoint.Url), NodeId.Null, cancellationToken).ConfigureAwait(false);
            return response.Endpoints;
        }
        finally
        {
            await channel.CloseAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a request on the current channel; while reconnecting, waits for the new one first.</summary>
    internal async Task<TResponse> SendAsync<TResponse>(IServiceRequest request, CancellationToken cancellationToken, TimeSpan? timeout = null)
        where TResponse : IServiceResponse<TResponse>
    {
        await _connected.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await _channel.SendRequestAsync<TResponse>(request, _session.AuthenticationToken, timeout ?? _options.Channel.RequestTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the TCP connection as a network failure would (for tests and for operators' "reconnect now").</summary>
    public void DropConnection() => _channel.Abort();

    /// <summary>Deletes the subscriptions, closes the session and the secure channel.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var subscription in _subscriptions.Values)
        {
            subscription.Complete(null);
        }
        try
        {
            if (_connected.Task.IsCompletedSuccessfully && !_channel.Completion.IsCompleted)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _session.CloseAsync(_channel, deleteSubscriptions: true, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OpcUaServiceException or OperationCanceledException)
        {
            // The server drops the session at its timeout anyway.
        }
        await _channel.CloseAsync(CancellationToken.None).ConfigureAwait(false);
        await Task.WhenAll(_supervisor, _keepAlive, _publishLoop).ConfigureAwait(false);
        _stop.Dispose();
    }
}
