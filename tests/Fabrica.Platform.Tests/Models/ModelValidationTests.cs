using System.Text.Json;
using Fabrica.Platform.Models;
using Fabrica.Rules;

namespace Fabrica.Platform.Tests.Models;

public sealed class ModelValidationTests
{
    private static PlantModel Build(ModelDocument d) => ModelValidator.Build(d.AssetTypes ?? [], d.Assets ?? [], d.Rules ?? []);

    private static ModelDocument WithAssets(params Asset[] extra) => Plant.Document with { Assets = [.. Plant.Tree, .. extra] };

    private static ModelDocument ReplaceCnc(Func<Asset, Asset> change) =>
        Plant.Document with { Assets = [.. Plant.Tree.Where(a => a.Id != "cnc-3"), change(Plant.Cnc3)] };

    [Fact]
    public void A_valid_plant_builds_with_paths_subtrees_and_bindings()
    {
        var model = Build(Plant.Document);

        Assert.Equal("acme/plant-1/assembly/line-2/cnc-3", model.PathOf("cnc-3"));
        Assert.Equal("cnc-3", model.FindByPath("acme/plant-1/assembly/line-2/cnc-3")!.Id);
        Assert.Equal(["plant-1", "assembly", "line-2", "cnc-3"], model.Subtree("plant-1").Select(a => a.Id));
        Assert.Equal([new BoundTag("cnc-3", "spindle_temp")], model.Bindings[new SeriesKey("plc-7", "t1")]);
        Assert.Equal("plc-7", model.Assets["cnc-3"].CommandDevice());
        Assert.Equal(["power"], model.ComputedTags("cnc-mill").Select(c => c.Name));
    }

    public static TheoryData<string, ModelDocument, string, string> BrokenDocuments => new()
    {
        { "unknown type", ReplaceCnc(a => a with { Type = "cnc-mil" }), "assets['cnc-3'].type", "asset 'acme/plant-1/assembly/line-2/cnc-3': unknown asset type 'cnc-mil'" },
        { "unknown parent", WithAssets(new Asset("cell-9", Level: AssetLevel.Cell, Parent: "line-9")), "assets['cell-9'].parent", "unknown parent 'line-9'" },
        { "cycle", WithAssets(new Asset("a", Level: AssetLevel.Cell, Parent: "b"), new Asset("b", Level: AssetLevel.Cell, Parent: "a")), "assets['a'].parent", "cycle" },
        { "duplicate path", WithAssets(new Asset("cnc-3b", Key: "cnc-3", Parent: "line-2")), ".key", "the path is already used" },
        { "duplicate id", WithAssets(new Asset("line-2", Level: AssetLevel.Line, Parent: "assembly")), "assets['line-2'].id", "used twice" },
        { "invalid id", WithAssets(new Asset("cnc 4", Parent: "line-2")), "assets[5].id", "is not an id" },
        { "level order", WithAssets(new Asset("site-x", Level: AssetLevel.Site, Parent: "line-2")), "assets['site-x'].level", "a child's level must lie below its parent's" },
        { "unit mismatch", ReplaceCnc(a => a with { Bindings = new Dictionary<string, TagBinding> { ["spindle_temp"] = new("plc-7", "t1", "[degF]") } }),
            "assets['cnc-3'].bindings['spindle_temp'].unit", "unit mismatch: device series plc-7/t1 is in '[degF]', but asset type 'cnc-mill' gives tag 'spindle_temp' in 'Cel'" },
        { "binding to an undeclared tag", ReplaceCnc(a => a with { Bindings = new Dictionary<string, TagBinding> { ["spindel_temp"] = new("plc-7") } }),
            "assets['cnc-3'].bindings['spindel_temp']", "declares no tag 'spindel_temp'" },
        { "binding to a computed tag", ReplaceCnc(a => a with { Bindings = new Dictionary<string, TagBinding> { ["power"] = new("plc-7") } }),
            "assets['cnc-3'].bindings['power']", "only measured tags are bound" },
        { "missing required attribute", ReplaceCnc(a => a with { Attributes = null }), "assets['cnc-3'].attributes['vendor']", "is required by asset type 'cnc-mill'" },
        { "attribute of the wrong kind", ReplaceCnc(a => a with { Attributes = new Dictionary<string, JsonElement> { ["vendor"] = JsonSerializer.SerializeToElement("x"), ["install_year"] = JsonSerializer.SerializeToElement("2019") } }),
            "assets['cnc-3'].attributes['install_year']", "is a integer, not string" },
        { "undeclared attribute", ReplaceCnc(a => a with { Attributes = new Dictionary<string, JsonElement> { ["vendor"] = JsonSerializer.SerializeToElement("x"), ["colour"] = JsonSerializer.SerializeToElement("red") } }),
            "assets['cnc-3'].attributes['colour']", "declares no attribute 'colour'" },
        { "computed tag reading an unknown tag", Plant.Document with { AssetTypes = [Plant.Mill with { Tags = [.. Plant.Mill.TagList, new TagDefinition("load", Expression: "power / rated")] }] },
            "assetTypes['cnc-mill'].tags['load'].expression", "reads 'rated'" },
        { "computed tags in a cycle", Plant.Document with { AssetTypes = [Plant.Mill with { Tags = [.. Plant.Mill.TagList, new TagDefinition("x", Expression: "y + 1"), new TagDefinition("y", Expression: "x + 1")] }] },
            "assetTypes['cnc-mill'].tags['x'].expression", "cycle" },
        { "malformed expression", Plant.Document with { AssetTypes = [Plant.Mill with { Tags = [.. Plant.Mill.TagList, new TagDefinition("x", Expression: "(voltage *")] }] },
            "assetTypes['cnc-mill'].tags['x'].expression", "position" },
        { "rule on an unknown type", Plant.Document with { Rules = [Plant.Overheat() with { AssetType = "press" }] }, "rules['spindle-overheat'].assetType", "unknown asset type 'press'" },
        { "rule reading an unknown tag", Plant.Document with { Rules = [new AssetRule(Plant.Overheat().Definition with { Scope = ["spindel_temp"], Condition = new ThresholdCondition("spindel_temp", 80) }, "cnc-mill")] },
            "rules['spindle-overheat'].scope[0]", "unknown tag 'spindel_temp'" },
        { "rule on a typeless asset", Plant.Document with { Rules = [Plant.Overheat() with { AssetType = null, Asset = "line-2" }] }, "rules['spindle-overheat'].asset", "has no type" },
        { "command argument limits reversed", Plant.Document with { AssetTypes = [Plant.Mill with { Commands = [new CommandDefinition("go", [new ArgumentDefinition("rpm", Min: 10, Max: 1)])] }] },
            "assetTypes['cnc-mill'].commands['go'].arguments['rpm'].min", "is 10, above max 1" },
        { "event on a device's command topic", Plant.Document with { Rules = [new AssetRule(Plant.Overheat().Definition with { Actions = [new EmitEventAction(EventTarget.Mqtt, "fabrica/devices/plc-7/commands/x")] }, "cnc-mill")] },
            "rules['spindle-overheat'].actions[0].topic", "is reserved or a wildcard" },
        { "duplicate tag in a type", Plant.Document with { AssetTypes = [Plant.Mill with { Tags = [.. Plant.Mill.TagList, new TagDefinition("pf")] }] },
            "assetTypes['cnc-mill'].tags['pf']", "declares tag 'pf' twice" },
        { "KPI tag the type lacks", Plant.Document with { AssetTypes = [Plant.Mill with { Kpis = new KpiDefinition("running", "power", IdealCycleTime: "1s") }] },
            "assetTypes['cnc-mill'].kpis.runState", "KPI tag 'running' is not a tag of the type" },
        { "OEE without an ideal cycle time", Plant.Document with { AssetTypes = [Plant.Mill with { Kpis = new KpiDefinition(TotalCount: "power") }] },
            "assetTypes['cnc-mill'].kpis.idealCycleTime", "needs the ideal cycle time" },
        { "unknown time zone in a site calendar", WithAssets(new Asset("plant-2", Level: AssetLevel.Site, Parent: "acme", Calendar: new ShiftCalendar("Mars/Olympus", ShiftCalendar.Default.Shifts))),
            "assets['plant-2'].calendar.timeZone", "asset 'acme/plant-2': unknown time zone 'Mars/Olympus'" },
        { "break outside its shift", WithAssets(new Asset("plant-2", Level: AssetLevel.Site, Parent: "acme", Calendar: new ShiftCalendar(null, [new Shift("early", "06:00", "14:00", [new ShiftBreak("15:00", "15:30")])]))),
            "assets['plant-2'].calendar.shifts['early'].breaks", "asset 'acme/plant-2': break 15:00–15:30 does not lie within shift 'early' (06:00–14:00)" },
        { "shift time that is not HH:mm", WithAssets(new Asset("plant-2", Level: AssetLevel.Site, Parent: "acme", Calendar: new ShiftCalendar(null, [new Shift("early", "6am", "14:00")]))),
            "assets['plant-2'].calendar.shifts['early']", "use local times HH:mm" },
    };

    [Theory]
    [MemberData(nameof(BrokenDocuments))]
    public void A_broken_document_is_refused_with_an_error_naming_the_field_and_the_problem(string kind, ModelDocument document, string field, string message)
    {
        var e = Assert.Throws<ModelValidationException>(() => Build(document));

        Assert.True(e.Errors.Any(x => x.Field.EndsWith(field, StringComparison.Ordinal) && x.Message.Contains(message, StringComparison.Ordinal)),
            $"{kind}: expected {field}: …{message}…, got: {string.Join(" | ", e.Errors)}");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var document = ReplaceCnc(a => a with { Type = "nope", Parent = "nowhere" });

        var e = Assert.Throws<ModelValidationException>(() => Build(document));

        Assert.Contains(e.Errors, x => x.Field == "assets['cnc-3'].parent");
        Assert.Contains(e.Errors, x => x.Message.Contains("unknown asset type 'nope'", StringComparison.Ordinal));
    }

    [Fact]
    public void The_model_document_round_trips_through_json_with_rules_flat()
    {
        var json = JsonSerializer.Serialize(Plant.Document, ModelJsonContext.Default.ModelDocument);
        var back = JsonSerializer.Deserialize(json, ModelJsonContext.Default.ModelDocument)!;

        Assert.Contains("\"assetType\":\"cnc-mill\"", json, StringComparison.Ordinal);
        Assert.Contains("\"level\":\"equipment\"", json, StringComparison.Ordinal);
        Assert.Equal(json, JsonSerializer.Serialize(back, ModelJsonContext.Default.ModelDocument));
        Assert.Equal("acme/plant-1/assembly/line-2/cnc-3", Build(back).PathOf("cnc-3"));
    }
}
