using Fabrica.Protocols.OpcUa.Diagnostics;
using Fabrica.Protocols.OpcUa.SecureChannel;
using Fabrica.Protocols.OpcUa.Services;
using Fabrica.Protocols.OpcUa.Session;

namespace Fabrica.Protocols.OpcUa;

/// <summary>Keep-alive and reconnection (OPC 10000-4 §6.7: re-activate the session on a new channel, then Republish).</summary>
public sealed partial class OpcUaClient
{
    /// <summary>Raised after the client re-established its connection (argument: whether the session survived).</summary>
    public event Action<bool>? Reconnected;

    /// <summary>Raised when the connection broke and reconnection begins (argument: the failure, if there was one).</summary>
    public event Action<Exception?>? ConnectionLost;

    /// <summary>Watches the channel; when it ends without our asking, reconnects until it succeeds or the client is disposed.</summary>
    private async Task SuperviseAsync()
    {
        Exception? lost = null;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _channel.Completion.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (OpcUaServiceException e)
            {
                // Faulted: reconnect below.
                lost = e;
            }
            if (_stop.IsCancellationRequested)
            {
                return;
            }
            OpcUaLog.ConnectionLost(_logger, _endpoint.Url, lost);
            ConnectionLost?.Invoke(lost);
            lost = null;
            _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await ReconnectAsync().ConfigureAwait(false);
        }
    }

    private async Task ReconnectAsync()
    {
        var delay = TimeSpan.FromMilliseconds(100);
        var attempts = 0;
        while (!_stop.IsCancellationRequested)
        {
            UaSecureChannel? channel = null;
            attempts++;
            try
            {
                channel = await UaSecureChannel.OpenAsync(_endpoint.Host, _endpoint.Port, _endpoint.Url, _options.Channel, _stop.Token).ConfigureAwait(false);
                var sessionSurvived = true;
                try
                {
                    await _session.ActivateAsync(channel, _options, _stop.Token).ConfigureAwait(false);
                }
                catch (OpcUaServiceException e)
                {
                    // The server forgot the session (restart, or timeout): a new one, and our subscriptions moved to it.
                    OpcUaLog.SessionLost(_logger, _session.SessionId, e.Message);
                    sessionSurvived = false;
                    var session = await OpcUaSession.CreateAsync(channel, _options, _stop.Token).ConfigureAwait(false);
                    await session.ActivateAsync(channel, _options, _stop.Token).ConfigureAwait(false);
                    _session = session;
                }
                _channel = channel;
                if (!sessionSurvived)
                {
                    await RestoreSubscriptionsAsync(_stop.Token).ConfigureAwait(false);
                }
                Reconnects++;
                OpcUaMetrics.Reconnects.Add(1, _endpointTag);
                OpcUaLog.Reconnected(_logger, _endpoint.Url, attempts, sessionSurvived);
                _connected.TrySetResult();
                Reconnected?.Invoke(sessionSurvived);
                return;
            }
            catch (Exception e) when (e is OpcUaServiceException or IOException)
            {
                OpcUaLog.ReconnectFailed(_logger, attempts, _endpoint.Url, delay, e);
                if (channel is not null && !ReferenceEquals(channel, _channel))
                {
                    await channel.CloseAsync(CancellationToken.None).ConfigureAwait(false);
                }
                try
                {
                    await Task.Delay(delay, _options.Channel.TimeProvider, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads Server.ServerStatus.State now and then, so that a silent dead connection is noticed.</summary>
    private async Task KeepAliveAsync()
    {
        using var timer = new PeriodicTimer(_options.KeepAliveInterval, _options.Channel.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    await SendAsync<ReadResponse>(new ReadRequest(0, TimestampsToReturn.Neither, [new ReadValueId(WellKnownNodes.ServerStatusState)]), _stop.Token).ConfigureAwait(false);
                }
                catch (OpcUaServiceException e) when (e.StatusCode == StatusCodes.BadTimeout)
                {
                    // No answer within the request timeout: treat the connection as dead.
                    OpcUaLog.KeepAliveTimedOut(_logger, _endpoint.Url);
                    _channel.Abort();
                }
                catch (OpcUaServiceException)
                {
                    // The supervisor reconnects when the channel has ended.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
