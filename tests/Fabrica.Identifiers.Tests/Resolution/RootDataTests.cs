using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Signing;
using NSec.Cryptography;

namespace Fabrica.Identifiers.Tests.Resolution;

/// <summary>
/// Root data between two peer roots over the native protocol: root A holds the root key and publishes; root B trusts
/// that key and copies whatever has a newer serial, never an older or equal one, never anything unsigned by the key.
/// </summary>
public sealed class RootDataTests : IAsyncLifetime
{
    private readonly Key _rootKey = Ed25519Keys.Generate();
    private LoopbackNode _rootA = null!, _rootB = null!, _industry = null!;

    public async Task InitializeAsync()
    {
        _rootA = await LoopbackNode.StartAsync(NodeRole.Root, [], _rootKey);
        _rootB = await LoopbackNode.StartAsync(NodeRole.Root, []);
        _industry = await LoopbackNode.StartAsync(NodeRole.Industry, ["88"], signer: "0.NA/88");
    }

    private RootDataSync SyncOfB() => new(_rootB.Node, [_rootKey.PublicKey], TimeSpan.FromSeconds(5));

    [Fact]
    public async Task Each_change_of_a_prefix_record_on_a_root_publishes_the_next_serial()
    {
        Assert.True((await _rootA.Node.PutRecordAsync(HandleName.ForPrefix("88"), _industry.DelegationValues(), overwrite: true)).Succeeded);
        Assert.Equal(1, RootData.SerialOf(_rootA.Node.Store.Get(RootData.ManifestHandle)));
        Assert.True((await _rootA.Node.PutRecordAsync(HandleName.ForPrefix("77"), _industry.DelegationValues(), overwrite: true)).Succeeded);
        var manifest = RootData.ManifestOf(_rootA.Node.Store.Get(RootData.ManifestHandle))!.Value;
        Assert.Equal(2, manifest.Serial);
        Assert.Equal(["0.NA/77", "0.NA/88"], manifest.Entries.Select(e => e.Handle));
        Assert.True(RecordSignature.Verify(RootData.ManifestHandle, _rootA.Node.Store.Get(RootData.ManifestHandle)!.Values, [_rootKey.PublicKey]).Valid);
    }

    [Fact]
    public async Task A_newer_serial_replaces_the_peer_s_root_data_and_an_equal_or_older_one_does_not()
    {
        await _rootA.Node.PutRecordAsync(HandleName.ForPrefix("88"), _industry.DelegationValues(), overwrite: true);
        var first = await SyncOfB().SyncFromAsync(_rootA.EndPoint);
        Assert.True(first.Replaced);
        Assert.Equal(1, first.LocalSerial);
        Assert.Equal(_rootA.Node.Store.Get(HandleName.ForPrefix("88"))!.Values, _rootB.Node.Store.Get(HandleName.ForPrefix("88"))!.Values);

        // A moves 88 away (delete) and adds 77: serial 3. B takes both changes, including the removal.
        await _rootA.Node.PutRecordAsync(HandleName.ForPrefix("77"), _industry.DelegationValues(), overwrite: true);
        await _rootA.Node.DeleteAsync(HandleName.ForPrefix("88"));
        var second = await SyncOfB().SyncFromAsync(_rootA.EndPoint);
        Assert.True(second.Replaced);
        Assert.Equal(3, second.PeerSerial);
        Assert.Null(_rootB.Node.Store.Get(HandleName.ForPrefix("88")));
        Assert.NotNull(_rootB.Node.Store.Get(HandleName.ForPrefix("77")));

        var again = await SyncOfB().SyncFromAsync(_rootA.EndPoint);
        Assert.False(again.Replaced);
        Assert.Null(again.Problem);

        // A is restored from an old backup: serial 1 again. B keeps serial 3.
        await _rootA.Node.Store.PutAsync(_rootA.Node.Store.Get(RootData.ManifestHandle)!);
        await _rootA.StopAsync();
        await using (var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_rootA.DatabasePath};Pooling=False"))
        {
            await sqlite.OpenAsync();
            var wipe = sqlite.CreateCommand();
            wipe.CommandText = "DELETE FROM Handles";
            await wipe.ExecuteNonQueryAsync();
        }
        await _rootA.RestartAsync();
        await _rootA.Node.PutRecordAsync(HandleName.ForPrefix("66"), _industry.DelegationValues(), overwrite: true);
        var older = await SyncOfB().SyncFromAsync(_rootA.EndPoint);
        Assert.False(older.Replaced);
        Assert.Equal(1, older.PeerSerial);
        Assert.Null(_rootB.Node.Store.Get(HandleName.ForPrefix("66")));
        Assert.Equal(3, RootData.SerialOf(_rootB.Node.Store.Get(RootData.ManifestHandle)));
    }

    [Fact]
    public async Task Root_data_signed_by_a_key_the_peer_does_not_trust_is_not_taken()
    {
        // The industry node is not a root, but it can sign a manifest of its own with its own key.
        await _industry.Node.Store.PutAsync(_industry.Node.Seal(RootData.ManifestHandle,
            [new HandleValue(RootData.ManifestIndex, RootData.ManifestType, RootData.Encode(99, []))], 99));
        var result = await SyncOfB().SyncFromAsync(_industry.EndPoint);
        Assert.False(result.Replaced);
        Assert.Contains("trusted key", result.Problem, StringComparison.Ordinal);
        Assert.Null(_rootB.Node.Store.Get(RootData.ManifestHandle));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { _rootA, _rootB, _industry })
            await node.DisposeAsync();
        _rootKey.Dispose();
    }
}
