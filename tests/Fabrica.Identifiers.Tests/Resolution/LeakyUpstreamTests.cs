using System.Net;
using System.Net.Sockets;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Signing;
using NSec.Cryptography;

namespace Fabrica.Identifiers.Tests.Resolution;

/// <summary>
/// A recursive resolver in front of an upstream that (misconfigured or hostile) answers a PublicOnly resolution with
/// its non-public values too: the resolver neither passes them on nor caches them. The upstream is a bare UDP socket
/// answering with the genuine signed record of an enterprise node, so the signature checks succeed.
/// </summary>
public sealed class LeakyUpstreamTests : IAsyncLifetime
{
    private readonly Key _rootKey = Ed25519Keys.Generate();
    private readonly Socket _leaky = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private LoopbackNode _root = null!, _enterprise = null!;
    private Task _serving = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _root = await LoopbackNode.StartAsync(NodeRole.Root, [], _rootKey);
        _enterprise = await LoopbackNode.StartAsync(NodeRole.Enterprise, ["88.100.12"], signer: "0.NA/88.100.12");
        Assert.True((await _enterprise.Node.PutRecordAsync(HandleName.Parse("88.100.12/PUMP-1"),
        [
            HandleValue.Text(1, HandleTypes.Url, "https://example.com/pump/1"),
            HandleValue.Text(2, "batch", "B-LEAKED", ValuePermissions.Restricted),
        ], overwrite: true)).Succeeded);
        _leaky.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)_leaky.LocalEndPoint!).Port;
        var site = new SiteInfo(1, [new SiteServer(1, IPAddress.Loopback, Ed25519Keys.ToHsPubKey(Ed25519Keys.ExportPublic(_enterprise.Key)),
            [new SiteInterface(SiteInterface.Services.AdminAndQuery, SiteInterface.Transport.Udp, port)])]);
        Assert.True((await _root.Node.PutRecordAsync(HandleName.ForPrefix("88.100.12"),
            [new HandleValue(1, HandleTypes.Site, site.Encode()), Ed25519Keys.PublicKeyValue(300, _enterprise.Key)], overwrite: true)).Succeeded);
        _serving = ServeEverythingAsync(_enterprise.Node.Store.Get(HandleName.Parse("88.100.12/PUMP-1"))!);
    }

    /// <summary>Answers every resolution with every value of the record, whatever the request's flags say.</summary>
    private async Task ServeEverythingAsync(HandleRecord record)
    {
        var buffer = new byte[65536];
        var body = MessageBodies.WriteHandleValues(new HandleValuesBody(record.Handle.ToString(), record.Values));
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _leaky.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var request = HandleMessage.ReadDatagram(buffer.AsSpan(0, received.ReceivedBytes));
            var header = new MessageHeader(OpCode.Resolution, ResponseCode.Success, request.Header.Flags, 0, 0, 0, body.Length);
            await _leaky.SendToAsync(HandleMessage.Encode(request.Envelope.RequestId, header, body), SocketFlags.None, received.RemoteEndPoint);
        }
    }

    [Fact]
    public async Task Non_public_values_from_upstream_are_neither_returned_nor_cached()
    {
        var resolver = new RecursiveResolver([_root.EndPoint], [_rootKey.PublicKey], new ResolverOptions { ServerTimeout = TimeSpan.FromSeconds(5) });
        var cold = await resolver.ResolveAsync("88.100.12/PUMP-1");
        Assert.True(cold.Code == ResponseCode.Success, cold.Problem);
        Assert.Equal("https://example.com/pump/1", cold.Values.Single(v => v.Index == 1).DataText);
        Assert.DoesNotContain(cold.Values, v => v.Index == 2 || v.DataText.Contains("LEAKED", StringComparison.Ordinal));
        var warm = await resolver.ResolveAsync("88.100.12/PUMP-1");
        Assert.True(warm.FromCache);
        Assert.DoesNotContain(warm.Values, v => v.Index == 2);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _serving;
        _leaky.Dispose();
        _stop.Dispose();
        await _enterprise.DisposeAsync();
        await _root.DisposeAsync();
    }
}
