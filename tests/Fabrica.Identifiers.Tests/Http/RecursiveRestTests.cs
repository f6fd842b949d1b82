using System.Net;
using System.Text.Json;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Signing;
using Fabrica.Identifiers.Tests.Resolution;
using Fabrica.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;

namespace Fabrica.Identifiers.Tests.Http;

/// <summary>
/// The three-level chain behind REST: two peer roots (the second one a host that copied its root data from the first),
/// an industry node for 88, an enterprise node for 88.100.12, and a resolver node — a whole platform process started
/// with <c>--root</c> twice and <c>--root-key</c> — that serves none of them. Requests go through curl.
/// </summary>
public sealed class RecursiveRestTests : IAsyncLifetime
{
    private readonly Key _rootKey = Ed25519Keys.Generate();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fabrica-rest-chain-" + Guid.NewGuid().ToString("N")[..12]);
    private LoopbackNode _rootA = null!, _industry = null!, _enterprise = null!;
    private FabricaServer _rootB = null!, _resolver = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var anchors = Path.Combine(_directory, "root.pub");
        await File.WriteAllTextAsync(anchors, "# the root key\n" + Convert.ToHexStringLower(Ed25519Keys.ExportPublic(_rootKey)) + "\n");
        _rootA = await LoopbackNode.StartAsync(NodeRole.Root, [], _rootKey);
        _industry = await LoopbackNode.StartAsync(NodeRole.Industry, ["88"], signer: "0.NA/88");
        _enterprise = await LoopbackNode.StartAsync(NodeRole.Enterprise, ["88.100.12"], signer: "0.NA/88.100.12");
        Assert.True((await _rootA.Node.PutRecordAsync(HandleName.ForPrefix("88"), _industry.DelegationValues(), overwrite: true)).Succeeded);
        Assert.True((await _industry.Node.PutRecordAsync(HandleName.ForPrefix("88.100.12"), _enterprise.DelegationValues(), overwrite: true)).Succeeded);
        Assert.True((await _enterprise.Node.PutRecordAsync(HandleName.Parse("88.100.12/PUMP-2"),
        [
            HandleValue.Text(1, HandleTypes.Url, "https://example.com/pump/2"),
            HandleValue.Text(2, "batch", "B-2026-11", ValuePermissions.Restricted),
        ], overwrite: true)).Succeeded);

        // Root B: a platform process in the root role whose peer is root A; it copies A's root data at start.
        _rootB = await StartHostAsync("root-b", NodeRole.Root, [$"127.0.0.1:{_rootA.EndPoint.Port}"], anchors);
        var rootBStore = _rootB.Services.GetRequiredService<Fabrica.Identifiers.Store.HandleStore>();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (rootBStore.Get(HandleName.ForPrefix("88")) is null)
            await Task.Delay(50, wait.Token);

        _resolver = await StartHostAsync("resolver", NodeRole.Enterprise,
            [$"127.0.0.1:{_rootA.EndPoint.Port}", $"127.0.0.1:{_rootB.HandlePort()}"], anchors);
    }

    private async Task<FabricaServer> StartHostAsync(string name, NodeRole role, string[] roots, string anchors) =>
        await FabricaServer.StartAsync(new FabricaServerOptions
        {
            DataDirectory = Path.Combine(_directory, name),
            HttpPort = 0,
            MqttPort = 0,
            BindAddress = IPAddress.Loopback,
            Identifiers = new IdentifierNodeSettings
            {
                Role = role,
                HandlePort = 0,
                Roots = roots,
                RootKeyFile = anchors,
                RootSyncInterval = TimeSpan.FromMilliseconds(200),
                ServerTimeout = TimeSpan.FromSeconds(3),
            },
        });

    private async Task<(int Status, JsonElement Body)> CurlAsync(string path)
    {
        var start = new System.Diagnostics.ProcessStartInfo("curl", ["-sS", "-g", "-w", "\n%{http_code}", $"http://127.0.0.1:{_resolver.Endpoints.HttpPort}{path}"])
        {
            RedirectStandardOutput = true,
        };
        using var curl = System.Diagnostics.Process.Start(start)!;
        var output = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();
        var newline = output.LastIndexOf('\n');
        return (int.Parse(output[(newline + 1)..], System.Globalization.CultureInfo.InvariantCulture), JsonDocument.Parse(output[..newline]).RootElement.Clone());
    }

    [Fact]
    public async Task A_handle_the_node_does_not_serve_is_resolved_through_root_industry_and_enterprise()
    {
        var (status, body) = await CurlAsync("/api/handles/88.100.12/PUMP-2");
        Assert.Equal(200, status);
        Assert.Equal(1, body.GetProperty("responseCode").GetInt32());
        var values = body.GetProperty("values").EnumerateArray().ToList();
        Assert.Contains(values, v => v.GetProperty("type").GetString() == "URL" && v.GetProperty("data").GetProperty("value").GetString() == "https://example.com/pump/2");
        Assert.DoesNotContain(values, v => v.GetProperty("type").GetString() == "batch");
        Assert.Contains(values, v => v.GetProperty("type").GetString() == HandleTypes.Signature);

        var (typed, only) = await CurlAsync("/api/handles/88.100.12/PUMP-2?type=URL");
        Assert.Equal(200, typed);
        Assert.Equal(["URL", HandleTypes.Signature], only.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("type").GetString()));
        Assert.Equal(404, (await CurlAsync("/api/handles/88.100.12/NOPE")).Status);
    }

    [Fact]
    public async Task Stopping_root_A_changes_nothing_because_root_B_holds_the_same_root_data()
    {
        await _rootA.StopAsync();
        try
        {
            var (status, body) = await CurlAsync("/api/handles/88.100.12/PUMP-2");
            Assert.Equal(200, status);
            Assert.Equal(1, body.GetProperty("responseCode").GetInt32());
        }
        finally
        {
            await _rootA.RestartAsync();
        }
    }

    [Fact]
    public async Task Native_resolution_with_the_recursive_flag_goes_through_the_hierarchy_too()
    {
        var header = new Fabrica.Identifiers.Native.MessageHeader(Fabrica.Identifiers.Native.OpCode.Resolution, Fabrica.Identifiers.Native.ResponseCode.Reserved,
            Fabrica.Identifiers.Native.OpFlags.Recursive | Fabrica.Identifiers.Native.OpFlags.PublicOnly, 0, 0, 0, 0);
        var body = Fabrica.Identifiers.Native.MessageBodies.WriteResolutionRequest(new("88.100.12/PUMP-2", [1], []));
        var response = await new Fabrica.Identifiers.Native.HandleClient(TimeSpan.FromSeconds(10))
            .SendAsync(new IPEndPoint(IPAddress.Loopback, _resolver.HandlePort()), header, body);
        Assert.Equal(Fabrica.Identifiers.Native.ResponseCode.Success, response.Header.ResponseCode);
        var values = Fabrica.Identifiers.Native.MessageBodies.ReadHandleValues(response.Body.Span).Values;
        Assert.Equal("https://example.com/pump/2", values.Single(v => v.Index == 1).DataText);
    }

    public async Task DisposeAsync()
    {
        await _resolver.DisposeAsync();
        await _rootB.DisposeAsync();
        foreach (var node in new[] { _rootA, _industry, _enterprise })
            await node.DisposeAsync();
        _rootKey.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
