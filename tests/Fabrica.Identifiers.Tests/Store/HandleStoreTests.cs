using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Signing;
using Fabrica.Identifiers.Store;

namespace Fabrica.Identifiers.Tests.Store;

public sealed class HandleStoreTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "fabrica-store-" + Guid.NewGuid().ToString("N")[..12], "identifiers.db");

    [Fact]
    public async Task Records_survive_a_reopen_byte_for_byte_and_deletes_too()
    {
        var pump = HandleRecord.Create(HandleName.Parse("88.100.12/PUMP-1"),
        [
            HandleValue.Text(1, HandleTypes.Url, "https://example.com/pump/1", timestamp: 1700000000),
            new HandleValue(100, HandleTypes.Admin, new AdminRecord("0.NA/88.100.12", 300, AdminPermissions.All).Encode()),
            HandleValue.Text(2, "batch", "B-7", ValuePermissions.Restricted),
        ]);
        await using (var store = await HandleStore.OpenAsync(_path))
        {
            Assert.True(await store.PutAsync(pump));
            Assert.False(await store.PutAsync(pump, overwrite: false));
            Assert.True(await store.PutAsync(HandleRecord.Create(HandleName.Parse("88.100.12/GONE"), [HandleValue.Text(1, "URL", "x")])));
            Assert.True(await store.DeleteAsync(HandleName.Parse("88.100.12/GONE")));
        }
        await using (var reopened = await HandleStore.OpenAsync(_path))
        {
            Assert.Equal(pump.Values, reopened.Get(HandleName.Parse("88.100.12/PUMP-1"))!.Values);
            Assert.Null(reopened.Get(HandleName.Parse("88.100.12/GONE")));
            var (total, handles) = reopened.List("88.100.12");
            Assert.Equal(1, total);
            Assert.Equal(["88.100.12/PUMP-1"], handles);
        }
    }

    [Fact]
    public async Task Resolution_counts_are_kept_per_prefix_and_day_across_a_flush()
    {
        await using var store = await HandleStore.OpenAsync(_path);
        store.Statistics.Count("88.100.12");
        store.Statistics.Count("88.100.12");
        await store.Statistics.FlushAsync();
        store.Statistics.Count("88.100.12");
        var days = await store.Statistics.GetAsync("88.100.12");
        Assert.Equal(3, days.Single().Resolutions);
        Assert.Empty(await store.Statistics.GetAsync("99"));
    }

    [Fact]
    public async Task A_node_signs_what_it_writes_and_the_signature_covers_each_value()
    {
        using var key = Ed25519Keys.Generate();
        await using var store = await HandleStore.OpenAsync(_path);
        var node = new IdentifierNode(store, new IdentifierNodeOptions { Prefixes = ["88.100.12"], SigningKey = key, SignerHandle = "0.NA/88.100.12" });
        var handle = HandleName.Parse("88.100.12/P");
        Assert.True((await node.PutRecordAsync(handle, [HandleValue.Text(1, "URL", "https://a"), HandleValue.Text(2, "batch", "secret", ValuePermissions.Restricted)], true)).Succeeded);
        var publicOnly = node.Resolve("88.100.12/P", [], [], publicOnly: true);
        Assert.True(RecordSignature.Verify(handle, publicOnly.Values, [key.PublicKey]).Valid);
        var forged = publicOnly.Values.Select(v => v.Type == "URL" ? v with { Data = "https://b"u8.ToArray() } : v).ToList();
        Assert.False(RecordSignature.Verify(handle, forged, [key.PublicKey]).Valid);
        var added = publicOnly.Values.Append(HandleValue.Text(9, "URL", "https://c")).ToList();
        Assert.False(RecordSignature.Verify(handle, added, [key.PublicKey]).Valid);
        Assert.Equal(Identifiers.Native.ResponseCode.ServerNotResponsible, node.Resolve("99/x", [], [], true).Code);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }
}
