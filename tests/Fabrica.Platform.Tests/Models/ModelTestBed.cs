using System.Text.Json;
using Fabrica.Platform.Alarms;
using Fabrica.Platform.Commands;
using Fabrica.Platform.Ingest;
using Fabrica.Platform.Models;
using Fabrica.Platform.Models.Storage;
using Fabrica.Platform.Twins;
using Fabrica.Rules;
using Fabrica.Security.Audit;
using Microsoft.Extensions.Time.Testing;

namespace Fabrica.Platform.Tests.Models;

/// <summary>
/// The model stack over a real SQLite file and a real audit log in a temporary directory, on a fake clock; commands go to
/// a recording channel (the MQTT one is tested in the server tests) and asset series to a recording sink.
/// </summary>
internal sealed class ModelTestBed : IAsyncDisposable
{
    private ModelTestBed(string directory, FakeTimeProvider time, ModelStore store, AuditLog audit)
    {
        Directory = directory;
        Time = time;
        Store = store;
        Audit = audit;
        Catalog = new ModelCatalog(store, audit);
        Alarms = new AlarmBook(store, audit, time: time);
        Commands = new CommandService(store, Catalog, Channel, audit, time);
        Loop = new ProductionLoop(Catalog, Twins, Alarms, Commands, Series, time: time);
    }

    public string Directory { get; }
    public FakeTimeProvider Time { get; }
    public ModelStore Store { get; }
    public AuditLog Audit { get; }
    public ModelCatalog Catalog { get; }
    public TwinBoard Twins { get; } = new();
    public AlarmBook Alarms { get; }
    public CommandService Commands { get; }
    public ProductionLoop Loop { get; }
    public RecordingChannel Channel { get; } = new();
    public RecordingSink Series { get; } = new();

    public static readonly Security.Caller Engineer = new("token:engineer", "test");

    public static async Task<ModelTestBed> StartAsync(string? directory = null)
    {
        directory ??= Path.Combine(Path.GetTempPath(), "fabrica-models-" + Guid.NewGuid().ToString("N")[..12]);
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        var store = new ModelStore(Path.Combine(directory, "fabrica.db"), time);
        await store.MigrateAsync();
        var audit = await AuditLog.OpenAsync(Path.Combine(directory, "audit"));
        var bed = new ModelTestBed(directory, time, store, audit);
        await bed.Catalog.LoadAsync();
        await bed.Alarms.LoadAsync();
        await bed.Commands.LoadAsync();
        return bed;
    }

    public long Now => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Samples as ingest hands them over after the durable write.</summary>
    public void Ingest(string device, params (string Tag, SampleValue Value)[] values) => IngestAt(Now, device, values);

    public void IngestAt(long timestamp, string device, params (string Tag, SampleValue Value)[] values) =>
        Loop.Observe(values.Select(v => new SeriesSample(new SeriesKey(device, v.Tag), new Sample(timestamp, v.Value))).ToArray());

    public async ValueTask DisposeAsync()
    {
        Loop.Dispose();
        await Audit.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    internal sealed class RecordingChannel : IDeviceCommandChannel
    {
        public List<DeviceCommandMessage> Sent { get; } = [];
        public bool Online { get; set; } = true;

        public ValueTask<bool> SendAsync(DeviceCommandMessage command, CancellationToken cancellationToken = default)
        {
            lock (Sent)
                Sent.Add(command);
            return ValueTask.FromResult(Online);
        }
    }

    internal sealed class RecordingSink : ITelemetrySink
    {
        public List<SeriesSample> Written { get; } = [];

        public ValueTask WriteAsync(ReadOnlyMemory<SeriesSample> samples, CancellationToken cancellationToken = default)
        {
            lock (Written)
                Written.AddRange(samples.ToArray());
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>A small plant: acme / plant-1 / assembly / line-2 / cnc-3, with a CNC mill type.</summary>
internal static class Plant
{
    public static AssetType Mill => new("cnc-mill", "CNC mill",
        Tags:
        [
            new TagDefinition("spindle_temp", "Cel"),
            new TagDefinition("voltage", "V"),
            new TagDefinition("current", "A"),
            new TagDefinition("pf"),
            new TagDefinition("power", "kW", Expression: "voltage * current * 1.732 * pf / 1000"),
            new TagDefinition("speed_setpoint", "1/min"),
        ],
        Attributes: [new AttributeDefinition("vendor", Required: true), new AttributeDefinition("install_year", DataType.Integer)],
        Commands: [new CommandDefinition("setSpeed", [new ArgumentDefinition("rpm", DataType.Number, Min: 0, Max: 24_000, Unit: "1/min")], Timeout: "10s")]);

    public static IReadOnlyList<Asset> Tree =>
    [
        new("acme", "ACME", AssetLevel.Enterprise),
        new("plant-1", "Plant 1", AssetLevel.Site, Parent: "acme"),
        new("assembly", "Assembly", AssetLevel.Area, Parent: "plant-1"),
        new("line-2", "Line 2", AssetLevel.Line, Parent: "assembly"),
        Cnc3,
    ];

    public static Asset Cnc3 => new("cnc-3", "CNC 3", AssetLevel.Equipment, Parent: "line-2", Type: "cnc-mill",
        Attributes: new Dictionary<string, JsonElement> { ["vendor"] = JsonSerializer.SerializeToElement("DMG Mori") },
        Bindings: new Dictionary<string, TagBinding>
        {
            ["spindle_temp"] = new("plc-7", "t1", "Cel"),
            ["voltage"] = new("plc-7"),
            ["current"] = new("plc-7"),
            ["pf"] = new("plc-7"),
            ["speed_setpoint"] = new("plc-7", "sp"),
        });

    public static AssetRule Overheat(int raiseAbove = 80) => new(new RuleDefinition(
        "spindle-overheat", "Spindle overheating", ["spindle_temp", "speed_setpoint"],
        new ThresholdCondition("spindle_temp", RaiseAbove: raiseAbove, ClearBelow: raiseAbove - 5),
        [new AlarmAction("Spindle above limit", Priority: 1), new WriteTagAction("speed_setpoint", "speed_setpoint * 0.7")]), AssetType: "cnc-mill");

    public static ModelDocument Document => new([Mill], Tree, [Overheat()]);
}
