using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Signing;
using Microsoft.Data.Sqlite;
using NSec.Cryptography;

namespace Fabrica.Identifiers.Tests.Resolution;

/// <summary>
/// The hierarchy on loopback, over the real native protocol: two peer roots with the same signed root data, an
/// industry node for 88, an enterprise node for 88.100.12, and a recursive resolver that trusts only the root key.
/// </summary>
public sealed class HierarchyTests : IAsyncLifetime
{
    private readonly Key _rootKey = Ed25519Keys.Generate();
    private LoopbackNode _rootA = null!, _rootB = null!, _industry = null!, _enterprise = null!;

    public async Task InitializeAsync()
    {
        _rootA = await LoopbackNode.StartAsync(NodeRole.Root, [], _rootKey);
        _rootB = await LoopbackNode.StartAsync(NodeRole.Root, [], _rootKey);
        _industry = await LoopbackNode.StartAsync(NodeRole.Industry, ["88"], signer: "0.NA/88");
        _enterprise = await LoopbackNode.StartAsync(NodeRole.Enterprise, ["88.100.12"], signer: "0.NA/88.100.12");

        // Root data: the delegation of 88 to the industry node, signed once by the root key with serial 7 and served
        // identically by both peer roots; plus a prefix 77 that refers back to root A (a loop).
        var rootData = new[]
        {
            RecordSignature.Sign(HandleRecord.Create(HandleName.ForPrefix("88"), _industry.DelegationValues()), _rootKey, "0.NA/0.NA", 300, 7, 1767225600),
            RecordSignature.Sign(HandleRecord.Create(HandleName.ForPrefix("77"), _rootA.DelegationValues()), _rootKey, "0.NA/0.NA", 300, 7, 1767225600),
        };
        foreach (var root in new[] { _rootA, _rootB })
        {
            foreach (var record in rootData)
                await root.Node.Store.PutAsync(record);
        }
        // The industry node delegates 88.100.12 to the enterprise (signed with the industry key, which root data vouches for).
        Assert.True((await _industry.Node.PutRecordAsync(HandleName.ForPrefix("88.100.12"), _enterprise.DelegationValues(), overwrite: true)).Succeeded);
        // The enterprise registers a product: a public URL and a batch number for partners only.
        Assert.True((await _enterprise.Node.PutRecordAsync(HandleName.Parse("88.100.12/PUMP-1"),
        [
            HandleValue.Text(1, HandleTypes.Url, "https://example.com/pump/1"),
            HandleValue.Text(2, "batch", "B-2026-11", ValuePermissions.Restricted),
            HandleValue.Text(3, "fabrica.asset", "plant-1/line-2/pump-1", ValuePermissions.Default, ttl: 0),
        ], overwrite: true)).Succeeded);
        Assert.True((await _enterprise.Node.PutRecordAsync(HandleName.Parse("88.100.12/PUMP-2"),
            [HandleValue.Text(1, HandleTypes.Url, "https://example.com/pump/2")], overwrite: true)).Succeeded);
    }

    private RecursiveResolver Resolver(params LoopbackNode[] roots) =>
        new(roots.Select(r => r.EndPoint).ToList(), [_rootKey.PublicKey], new ResolverOptions { ServerTimeout = TimeSpan.FromSeconds(3) });

    [Fact]
    public async Task Cold_resolution_walks_root_industry_enterprise_and_warm_resolution_is_cached()
    {
        var resolver = Resolver(_rootA, _rootB);
        var before = _enterprise.Node.Store.Statistics;
        var cold = await resolver.ResolveAsync("88.100.12/PUMP-2");
        Assert.Equal(ResponseCode.Success, cold.Code);
        Assert.False(cold.FromCache);
        Assert.Equal("https://example.com/pump/2", cold.Values.Single(v => v.Type == HandleTypes.Url).DataText);
        var warm = await resolver.ResolveAsync("88.100.12/PUMP-2");
        Assert.True(warm.FromCache);
        Assert.Equal(cold.Values, warm.Values);
        var counts = await before.GetAsync("88.100.12");
        Assert.Equal(1, counts.Sum(c => c.Resolutions));
    }

    [Fact]
    public async Task Values_that_are_not_public_never_leave_the_node_over_the_native_protocol()
    {
        var resolved = await Resolver(_rootA).ResolveAsync("88.100.12/PUMP-1");
        Assert.Equal(ResponseCode.Success, resolved.Code);
        Assert.DoesNotContain(resolved.Values, v => v.Type == "batch");
        Assert.Contains(resolved.Values, v => v.Type == "fabrica.asset");
    }

    [Fact]
    public async Task A_value_with_ttl_zero_keeps_its_record_out_of_the_cache()
    {
        var resolver = Resolver(_rootA);
        Assert.False((await resolver.ResolveAsync("88.100.12/PUMP-1")).FromCache);
        Assert.False((await resolver.ResolveAsync("88.100.12/PUMP-1")).FromCache);
    }

    [Fact]
    public async Task Stopping_one_peer_root_changes_nothing_for_clients()
    {
        await _rootA.StopAsync();
        try
        {
            var resolved = await Resolver(_rootA, _rootB).ResolveAsync("88.100.12/PUMP-2");
            Assert.Equal(ResponseCode.Success, resolved.Code);
        }
        finally
        {
            await _rootA.RestartAsync();
        }
    }

    [Fact]
    public async Task Unknown_handles_are_not_found_and_that_is_cached_briefly()
    {
        var resolver = Resolver(_rootA, _rootB);
        var missing = await resolver.ResolveAsync("88.100.12/NOPE");
        Assert.Equal(ResponseCode.HandleNotFound, missing.Code);
        Assert.True((await resolver.ResolveAsync("88.100.12/NOPE")).FromCache);
        Assert.Equal(ResponseCode.HandleNotFound, (await resolver.ResolveAsync("88.100.12/NOPE")).Code);
    }

    [Fact]
    public async Task A_referral_back_to_a_server_already_asked_is_reported_as_a_loop()
    {
        var looped = await Resolver(_rootA).ResolveAsync("77.1/x");
        Assert.Equal(ResponseCode.ProtocolError, looped.Code);
        Assert.Contains("loop", looped.Problem, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Root_data_signed_by_a_key_the_resolver_does_not_trust_is_rejected()
    {
        using var stranger = Ed25519Keys.Generate();
        var resolver = new RecursiveResolver([_rootA.EndPoint], [stranger.PublicKey]);
        var rejected = await resolver.ResolveAsync("88.100.12/PUMP-2");
        Assert.Equal(ResponseCode.InvalidValue, rejected.Code);
    }

    [Fact]
    public async Task A_value_tampered_with_on_the_enterprise_disk_is_rejected_by_the_signature_check()
    {
        await _enterprise.StopAsync();
        await using (var sqlite = new SqliteConnection($"Data Source={_enterprise.DatabasePath};Pooling=False"))
        {
            await sqlite.OpenAsync();
            var read = sqlite.CreateCommand();
            read.CommandText = "SELECT \"Values\" FROM Handles WHERE Handle = '88.100.12/PUMP-2'";
            var values = HandleValueCodec.DecodeList((byte[])(await read.ExecuteScalarAsync())!);
            var forged = values.Select(v => v.Type == HandleTypes.Url ? v with { Data = "https://evil.example/pump/2"u8.ToArray() } : v).ToList();
            var write = sqlite.CreateCommand();
            write.CommandText = "UPDATE Handles SET \"Values\" = $v WHERE Handle = '88.100.12/PUMP-2'";
            write.Parameters.AddWithValue("$v", HandleValueCodec.EncodeList(forged));
            Assert.Equal(1, await write.ExecuteNonQueryAsync());
        }
        await _enterprise.RestartAsync();
        var resolved = await Resolver(_rootA).ResolveAsync("88.100.12/PUMP-2");
        Assert.Equal(ResponseCode.InvalidValue, resolved.Code);
        Assert.Contains("does not match the signed digest", resolved.Problem, StringComparison.Ordinal);
        Assert.Empty(resolved.Values);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { _rootA, _rootB, _industry, _enterprise })
            await node.DisposeAsync();
        _rootKey.Dispose();
    }
}
