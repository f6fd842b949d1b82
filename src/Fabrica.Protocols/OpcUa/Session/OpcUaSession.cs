using System.Text;
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
    private OpcUaSession(NodeId sessionId, NodeId authenticationToken, TimeSpan revisedTimeout, EndpointDescription[] serverEndpoints)
    {
        SessionId = sessionId;
        AuthenticationToken = authenticationToken;
        RevisedTimeout = revisedTimeout;
        ServerEndpoints = serverEndpoints;
    }

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
        return new OpcUaSession(response.SessionId, response.AuthenticationToken, TimeSpan.FromMilliseconds(response.RevisedSessionTimeout), response.ServerEndpoints);
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
    }

    private ExtensionObject IdentityToken(OpcUaClientOptions options)
    {
        var policyUri = options.Channel.SecurityPolicy.Uri;
        var tokenType = options.UserName is null ? UserTokenType.Anonymous : UserTokenType.UserName;
        var policy = ServerEndpoints
            .Where(e => string.Equals(e.SecurityPolicyUri, policyUri, StringComparison.Ordinal))
            .SelectMany(e => e.UserIdentityTokens)
            .FirstOrDefault(t => t.TokenType == tokenType);
        if (tokenType == UserTokenType.Anonymous)
        {
            return ExtensionObject.FromEncodeable(new NodeId(EncodingIds.AnonymousIdentityToken), new AnonymousIdentityToken(policy?.PolicyId ?? "anonymous"));
        }
        if (policy is null)
        {
            throw new OpcUaServiceException(StatusCodes.BadIdentityTokenInvalid, "the server offers no user-name token on this endpoint");
        }
        var tokenPolicy = string.IsNullOrEmpty(policy.SecurityPolicyUri) ? policyUri : policy.SecurityPolicyUri;
        if (!string.Equals(tokenPolicy, SecurityPolicyNone.PolicyUri, StringComparison.Ordinal))
        {
            // The password would have to be encrypted with the server certificate under this policy (§7.36.4);
            // that comes with the first signing/encrypting policy.
            throw new OpcUaServiceException(StatusCodes.BadIdentityTokenInvalid, $"user-name tokens under {tokenPolicy} need password encryption, not implemented yet");
        }
        var token = new UserNameIdentityToken(policy.PolicyId, options.UserName!, Encoding.UTF8.GetBytes(options.Password ?? ""), null);
        return ExtensionObject.FromEncodeable(new NodeId(EncodingIds.UserNameIdentityToken), token);
    }

    /// <summary>CloseSession (§5.6.4).</summary>
    public Task CloseAsync(UaSecureChannel channel, bool deleteSubscriptions, CancellationToken cancellationToken) =>
        channel.SendRequestAsync<CloseSessionResponse>(new CloseSessionRequest(deleteSubscriptions), AuthenticationToken, cancellationToken);
}
