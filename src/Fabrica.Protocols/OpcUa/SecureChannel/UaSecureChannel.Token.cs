using Fabrica.Protocols.OpcUa.Services;

namespace Fabrica.Protocols.OpcUa.SecureChannel;

/// <summary>Security tokens: issue on open, renew before expiry (OPC 10000-4 §5.5.2, OPC 10000-6 §6.7.4).</summary>
public sealed partial class UaSecureChannel
{
    private volatile OpcUaServiceException? _renewFailure;

    /// <summary>Number of tokens received so far (1 after open; grows with each renewal).</summary>
    public int TokenCount { get; private set; }

    private async Task OpenOrRenewAsync(SecurityTokenRequestType requestType, CancellationToken cancellationToken)
    {
        var nonce = _policy.CreateClientNonce();
        var lifetime = (uint)Math.Clamp(_options.RequestedTokenLifetime.TotalMilliseconds, 1, uint.MaxValue);
        var request = new OpenSecureChannelRequest(requestType, _policy.Mode, nonce, lifetime);
        var response = await SendRequestAsync<OpenSecureChannelResponse>(request, NodeId.Null, _options.RequestTimeout, cancellationToken, InstallToken).ConfigureAwait(false);
        _policy.DeriveKeys(nonce, response.ServerNonce);
        ScheduleRenewal(response.Token);
    }

    /// <summary>
    /// Runs on the read loop as soon as the response is decoded, before any later chunk is checked: from here on the
    /// client sends with the new token and accepts both the new and the previous one (§6.7.4: the old token stays
    /// valid until it expires, for messages already under way).
    /// </summary>
    private void InstallToken(OpenSecureChannelResponse response)
    {
        var token = response.Token;
        if (_channelId != 0 && token.ChannelId != _channelId)
        {
            OpcUaThrow.Status(StatusCodes.BadSecureChannelIdInvalid, $"renewed token for channel {token.ChannelId}, ours is {_channelId}");
        }
        _previousToken = _token;
        _token = token;
        _channelId = token.ChannelId;
        TokenCount++;
    }

    private void ScheduleRenewal(ChannelSecurityToken token)
    {
        if (token.RevisedLifetime == 0 || Volatile.Read(ref _closing) == 1)
        {
            return;
        }
        var due = TimeSpan.FromMilliseconds(token.RevisedLifetime * 0.75);
        _renewTimer?.Dispose();
        _renewTimer = _time.CreateTimer(_ => _ = RenewAsync(), null, due, Timeout.InfiniteTimeSpan);
    }

    private async Task RenewAsync()
    {
        try
        {
            await OpenOrRenewAsync(SecurityTokenRequestType.Renew, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (OpcUaServiceException e)
        {
            // A channel whose token cannot be renewed is dead: end it so the session reconnects.
            _renewFailure = e;
            Abort();
        }
    }
}
