using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.SecureChannel;

namespace Fabrica.Protocols.Tests.OpcUa.Interop;

/// <summary>The secure channel against node-opcua: chunking both ways, token renewal, Error on a bad Hello.</summary>
[Collection(NodeOpcUaCollection.Name)]
public sealed class NodeOpcUaChannelTests(NodeOpcUaServer server)
{
    [Fact]
    public async Task A_value_larger_than_one_chunk_is_sent_and_received_in_several_chunks()
    {
        var options = new OpcUaClientOptions { Channel = new SecureChannelOptions { SendBufferSize = 8192, ReceiveBufferSize = 8192 } };
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl, options);
        var large = string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('a' + (i % 26))));

        var status = await client.WriteValueAsync(NodeId.Parse("ns=1;s=Writable.String"), Variant.From(large));
        var read = await client.ReadValueAsync(NodeId.Parse("ns=1;s=Writable.String"));

        Assert.True(status.IsGood, status.ToString());
        Assert.Equal(large, read.Value.Value);
        Assert.Equal(8192, client.Channel.Limits.ReceiveBufferSize);
    }

    [Fact]
    public async Task The_security_token_is_renewed_before_it_expires_and_requests_keep_working()
    {
        var options = new OpcUaClientOptions { Channel = new SecureChannelOptions { RequestedTokenLifetime = TimeSpan.FromSeconds(1) } };
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl, options);
        var lifetime = TimeSpan.FromMilliseconds(client.Channel.Token!.RevisedLifetime);
        var deadline = DateTime.UtcNow + (lifetime * 4) + TimeSpan.FromSeconds(5);

        while (client.Channel.TokenCount < 3 && DateTime.UtcNow < deadline)
        {
            Assert.True((await client.ReadValueAsync(NodeId.Parse("ns=1;s=Setpoint"))).StatusCode.IsGood);
            await Task.Delay(100);
        }

        Assert.True(client.Channel.TokenCount >= 3, $"{client.Channel.TokenCount} tokens with a revised lifetime of {lifetime}");
        Assert.Equal(0, client.Reconnects);
    }

    [Fact]
    public async Task Connecting_to_a_port_nobody_listens_on_fails_with_bad_communication_error()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var error = await Assert.ThrowsAsync<OpcUaServiceException>(() => OpcUaClient.ConnectAsync($"opc.tcp://127.0.0.1:{port}/none"));

        Assert.Equal(StatusCodes.BadCommunicationError, error.StatusCode);
    }
}
