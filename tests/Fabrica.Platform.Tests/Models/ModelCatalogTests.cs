using Fabrica.Platform.Models;

namespace Fabrica.Platform.Tests.Models;

public sealed class ModelCatalogTests
{
    [Fact]
    public async Task A_model_built_change_by_change_is_read_back_from_the_database_after_a_restart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fabrica-models-" + Guid.NewGuid().ToString("N")[..12]);
        await using (var bed = await ModelTestBed.StartAsync(directory + "-a"))
        {
            Assert.True(await bed.Catalog.PutTypeAsync(Plant.Mill, ModelTestBed.Engineer));
            foreach (var asset in Plant.Tree)
                Assert.True(await bed.Catalog.PutAssetAsync(asset, ModelTestBed.Engineer));
            Assert.True(await bed.Catalog.PutRuleAsync(Plant.Overheat(), ModelTestBed.Engineer));
            Assert.False(await bed.Catalog.PutAssetAsync(Plant.Cnc3 with { Name = "CNC three" }, ModelTestBed.Engineer));
            Assert.True(await bed.Catalog.SetRuleEnabledAsync("spindle-overheat", false, ModelTestBed.Engineer));

            var again = new ModelCatalog(bed.Store, bed.Audit);
            await again.LoadAsync();

            Assert.Equal(["acme", "plant-1", "assembly", "line-2", "cnc-3"], again.Current.AssetList.Select(a => a.Id));
            Assert.Equal("CNC three", again.Current.Assets["cnc-3"].Name);
            Assert.False(again.Current.Rules["spindle-overheat"].Definition.Enabled);
            Assert.Equal("acme/plant-1/assembly/line-2/cnc-3", again.Current.PathOf("cnc-3"));
        }
    }

    [Fact]
    public async Task An_invalid_change_is_refused_and_leaves_model_and_database_as_they_were()
    {
        await using var bed = await ModelTestBed.StartAsync();
        await bed.Catalog.ImportAsync(Plant.Document, ModelTestBed.Engineer);
        var before = bed.Catalog.Current;

        var e = await Assert.ThrowsAsync<ModelValidationException>(() =>
            bed.Catalog.PutAssetAsync(Plant.Cnc3 with { Parent = "cnc-3" }, ModelTestBed.Engineer));

        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
        Assert.Same(before, bed.Catalog.Current);
        var reloaded = new ModelCatalog(bed.Store, bed.Audit);
        await reloaded.LoadAsync();
        Assert.Equal("line-2", reloaded.Current.Assets["cnc-3"].Parent);
    }

    [Fact]
    public async Task Moving_an_asset_under_its_own_descendant_is_a_cycle()
    {
        await using var bed = await ModelTestBed.StartAsync();
        await bed.Catalog.ImportAsync(Plant.Document, ModelTestBed.Engineer);

        var e = await Assert.ThrowsAsync<ModelValidationException>(() =>
            bed.Catalog.PutAssetAsync(Plant.Tree[1] with { Parent = "line-2" }, ModelTestBed.Engineer));

        Assert.Contains(e.Errors, x => x.Field == "assets['plant-1'].parent" && x.Message.Contains("plant-1 → line-2 → assembly → plant-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Moving_an_asset_moves_the_paths_of_its_subtree()
    {
        await using var bed = await ModelTestBed.StartAsync();
        await bed.Catalog.ImportAsync(Plant.Document, ModelTestBed.Engineer);
        await bed.Catalog.PutAssetAsync(new Asset("machining", "Machining", AssetLevel.Area, Parent: "plant-1"), ModelTestBed.Engineer);

        await bed.Catalog.PutAssetAsync(Plant.Tree[3] with { Parent = "machining" }, ModelTestBed.Engineer);

        Assert.Equal("acme/plant-1/machining/line-2/cnc-3", bed.Catalog.Current.PathOf("cnc-3"));
    }

    [Fact]
    public async Task A_type_in_use_and_an_asset_with_children_cannot_be_deleted()
    {
        await using var bed = await ModelTestBed.StartAsync();
        await bed.Catalog.ImportAsync(Plant.Document, ModelTestBed.Engineer);

        var type = await Assert.ThrowsAsync<ModelConflictException>(() => bed.Catalog.DeleteTypeAsync("cnc-mill", ModelTestBed.Engineer));
        var parent = await Assert.ThrowsAsync<ModelConflictException>(() => bed.Catalog.DeleteAssetAsync("line-2", ModelTestBed.Engineer));

        Assert.Contains("'acme/plant-1/assembly/line-2/cnc-3'", type.Message, StringComparison.Ordinal);
        Assert.Contains("child", parent.Message, StringComparison.Ordinal);
        Assert.False(await bed.Catalog.DeleteAssetAsync("no-such-asset", ModelTestBed.Engineer));
    }

    [Fact]
    public async Task Every_change_and_every_refusal_is_in_the_audit_log()
    {
        await using var bed = await ModelTestBed.StartAsync();
        await bed.Catalog.ImportAsync(Plant.Document, ModelTestBed.Engineer);
        await Assert.ThrowsAsync<ModelValidationException>(() => bed.Catalog.PutAssetAsync(Plant.Cnc3 with { Type = "x" }, ModelTestBed.Engineer));
        await bed.Audit.FlushAsync();

        var lines = Directory.GetFiles(Path.Combine(bed.Directory, "audit")).SelectMany(File.ReadAllLines).ToList();

        Assert.Contains(lines, l => l.Contains("\"action\":\"model.import\"", StringComparison.Ordinal) && l.Contains("\"outcome\":\"success\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"action\":\"asset.put\"", StringComparison.Ordinal) && l.Contains("\"outcome\":\"denied\"", StringComparison.Ordinal));
    }
}
