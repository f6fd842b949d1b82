using Fabrica.Protocols.OpcUa.SecureChannel;
using Fabrica.Protocols.OpcUa.Services;

namespace Fabrica.Protocols.OpcUa.Session;

/// <summary>
/// A session (OPC 10000-4 §5.6): created once, activated on a secure channel, and activated again on a new
/// channel after a reconnect — the session, and its subscriptions, outlive the connection for the revised
/// session timeout.
/// </summary>
internal sealed class OpcUaSession
{
    private byte[]? _serverNonce;
    private readonly byte[]? _serverCertificate;

    private OpcUaSession(CreateSessionResponse response)
    {
        SessionId = response.SessionId;
        AuthenticationToken = response.AuthenticationToken;
        RevisedTimeout = TimeSpan.FromMilliseconds(response.RevisedSessionTimeout);
        ServerEndpoints = response.ServerEndpoints;
        _serverNonce = response.ServerNonce;
        _serverCertificate = response.ServerCertificate is { Length: > 0 } certificate
            ? certificate
            : response.ServerEndpoints.FirstOrDefault(e => e.ServerCertificate is { Length: > 0 })?.ServerCertificate;
    }

    /// <summary>The user token policy of the last activation (null until then).</summary>
    public UserTokenPolicy? UserTokenPolicy { get; private set; }

    public NodeId SessionId { get; }

    public NodeId AuthenticationToken { get; }

    public TimeSpan RevisedTimeout { get; }

    public EndpointDescription[] ServerEndpoints { get; }

    /// <summary>CreateSession (§5.6.2). With SecurityPolicy None there is no nonce, certificate or signature to check.</summary>
    public static async Task<OpcUaSession> CreateAsync(UaSecureChannel channel, OpcUaClientOptions options, CancellationToken cancellationToken)
    {
        var client = new ApplicationDescription(options.ApplicationUri, options.ApplicationUri, new LocalizedText(options.ApplicationName),
            ApplicationType.Client, null, null, []);
        var request = new CreateSessionRequest(client, channel.EndpointUrl, options.SessionName, new byte[32],
            options.SessionTimeout.TotalMilliseconds, (uint)options.Channel.MaxMessageSize);
        var response = await channel.SendRequestAsync<CreateSessionResponse>(request, NodeId.Null, cancellationToken).ConfigureAwait(false);
        return new OpcUaSession(response);
    }

    /// <summary>
    /// ActivateSession (§5.6.3) with an anonymous or user-name identity, using the PolicyId the server announced for
    /// that token type on an endpoint with our security policy.
    /// </summary>
    public async Task ActivateAsync(UaSecureChannel channel, OpcUaClientOptions options, CancellationToken cancellationToken)
    {
        var request = new ActivateSessionRequest(IdentityToken(options), ["en"]);
        var response = await channel.SendRequestAsync<ActivateSessionResponse>(request, AuthenticationToken, cancellationToken).ConfigureAwait(false);
        if (response.Results.FirstOrDefault(r => r.IsBad) is { IsBad: true } bad)
        {
            throw new OpcUaServiceException(bad, "ActivateSession rejected the client software certificate");
        }
        // Each activation hands out the nonce the next encrypted password must carry (§5.6.3).
        _serverNonce = response.ServerNonce ?? _serverNonce;
    }

    private ExtensionObject IdentityToken(OpcUaClientOptions options)
    {
        var channelPolicy = options.Channel.SecurityPolicy.Uri;
        var tokenType = options.UserName is null ? UserTokenType.Anonymous : UserTokenType.UserName;
        var offered = ServerEndpoints
            .Where(e => string.Equals(e.SecurityPolicyUri, channelPolicy, StringComparison.Ordinal))
            .SelectMany(e => e.UserIdentityTokens)
            .Where(t => t.TokenType == tokenType)
            .ToArray();
        if (tokenType == UserTokenType.Anonymous)
        {
            UserTokenPolicy = offered.FirstOrDefault();
            return ExtensionObject.FromEncodeable(new NodeId(EncodingIds.AnonymousIdentityToken), new AnonymousIdentityToken(UserTokenPolicy?.PolicyId ?? "anonymous"));
        }
        var policy = ChooseUserNamePolicy(offered, channelPolicy, options.UserTokenPolicyId);
        UserTokenPolicy = policy;
        var (password, algorithm) = UserNameTokenSecret.Create(TokenSecurityPolicy(policy, channelPolicy), options.Password ?? "", _serverNonce, _serverCertificate);
        var token = new UserNameIdentityToken(policy.PolicyId, options.UserName!, password, algorithm);
        return ExtensionObject.FromEncodeable(new NodeId(EncodingIds.UserNameIdentityToken), token);
    }

    /// <summary>
    /// The policy named in the options, else the best one this client can honour: an encrypting policy before a
    /// plain-text one, so that a password crosses a None channel in clear only when the server offers nothing else.
    /// </summary>
    private static UserTokenPolicy ChooseUserNamePolicy(UserTokenPolicy[] offered, string channelPolicy, string? policyId)
    {
        if (policyId is not null)
        {
            return offered.FirstOrDefault(t => t.PolicyId == policyId)
                ?? throw new OpcUaServiceException(StatusCodes.BadIdentityTokenInvalid, $"the server offers no user-name token policy '{policyId}' on this endpoint");
        }
        foreach (var supported in UserNameTokenSecret.SupportedPolicies)
        {
            if (offered.FirstOrDefault(t => TokenSecurityPolicy(t, channelPolicy) == supported) is { } encrypting)
            {
                return encrypting;
            }
        }
        return offered.FirstOrDefault(t => TokenSecurityPolicy(t, channelPolicy) == SecurityPolicyNone.PolicyUri)
            ?? throw new OpcUaServiceException(StatusCodes.BadIdentityTokenInvalid,
                offered.Length == 0
                    ? "the server offers no user-name token on this endpoint"
                    : $"the server's user-name token policies need encryption this client lacks: {string.Join(", ", offered.Select(t => t.SecurityPolicyUri))}");
    }

    /// <summary>A token policy without a SecurityPolicyUri uses the channel's (§7.37).</summary>
    private static string TokenSecurityPolicy(UserTokenPolicy policy, string channelPolicy) =>
        string.IsNullOrEmpty(policy.SecurityPolicyUri) ? channelPolicy : policy.SecurityPolicyUri;

    /// <summary>CloseSession (§5.6.4).</summary>
    public Task CloseAsync(UaSecureChannel channel, bool deleteSubscriptions, CancellationToken cancellationToken) =>
        channel.SendRequestAsync<CloseSessionResponse>(new CloseSessionRequest(deleteSubscriptions), AuthenticationToken, cancellationToken);
}
