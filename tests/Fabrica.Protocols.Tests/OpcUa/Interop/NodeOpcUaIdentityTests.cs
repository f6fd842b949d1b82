using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Services;

namespace Fabrica.Protocols.Tests.OpcUa.Interop;

/// <summary>
/// User-name identities against node-opcua's user manager (operator / secret-42). On its SecurityPolicy None
/// endpoint node-opcua offers user-name policies that name RSA policies (the password is encrypted with its
/// certificate) and, because server.js allows it, a plain-text one.
/// </summary>
[Collection(NodeOpcUaCollection.Name)]
public sealed class NodeOpcUaIdentityTests(NodeOpcUaServer server)
{
    private static readonly NodeId Setpoint = NodeId.Parse("ns=1;s=Setpoint");

    [Fact]
    public async Task A_user_name_identity_is_accepted_with_the_password_encrypted_by_the_server_certificate()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl, new OpcUaClientOptions { UserName = "operator", Password = "secret-42" });

        Assert.Equal(UserTokenType.UserName, client.UserTokenPolicy?.TokenType);
        // node-opcua offers Basic256, Basic128Rsa15, Basic256Sha256 and Aes128_Sha256_RsaOaep: the best of those.
        Assert.Equal("http://opcfoundation.org/UA/SecurityPolicy#Aes128_Sha256_RsaOaep", client.UserTokenPolicy?.SecurityPolicyUri);
        Assert.True((await client.ReadValueAsync(Setpoint)).StatusCode.IsGood);
    }

    [Theory]
    [InlineData("username_basic256Sha256")]
    [InlineData("username_aes128Sha256RsaOaep")]
    [InlineData("username_unsecure")]
    public async Task Every_user_name_policy_the_client_supports_is_accepted_by_node_opcua(string policyId)
    {
        var options = new OpcUaClientOptions { UserName = "operator", Password = "secret-42", UserTokenPolicyId = policyId };

        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl, options);

        Assert.Equal(policyId, client.UserTokenPolicy?.PolicyId);
        Assert.True((await client.ReadValueAsync(Setpoint)).StatusCode.IsGood);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("username_unsecure")]
    public async Task A_wrong_password_is_refused_with_a_typed_error(string? policyId)
    {
        var options = new OpcUaClientOptions { UserName = "operator", Password = "wrong", UserTokenPolicyId = policyId };

        var error = await Assert.ThrowsAsync<OpcUaServiceException>(() => OpcUaClient.ConnectAsync(server.EndpointUrl, options));

        Assert.Contains(error.StatusCode.WithoutInfoBits, new[] { StatusCodes.BadUserAccessDenied, StatusCodes.BadIdentityTokenRejected, StatusCodes.BadIdentityTokenInvalid });
    }

    [Fact]
    public async Task A_session_activated_with_a_user_name_survives_a_dropped_connection()
    {
        // Re-activation on the new channel encrypts the password again with the nonce of the previous activation.
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl, new OpcUaClientOptions { UserName = "operator", Password = "secret-42" });
        var reconnected = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Reconnected += survived => reconnected.TrySetResult(survived);

        client.DropConnection();

        Assert.True(await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True((await client.ReadValueAsync(Setpoint)).StatusCode.IsGood);
    }
}
