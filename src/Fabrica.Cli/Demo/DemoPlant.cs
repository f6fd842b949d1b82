using System.Text.Json;
using Fabrica.Platform.Models;
using Fabrica.Security;

namespace Fabrica.Cli.Demo;

/// <summary>
/// The plant model of <c>fabrica demo</c>: the simulated line as an ISA-95 tree (enterprise → site → area → line →
/// the four machines), one asset type per machine kind with the register map's tags and units (docs/simulator.md),
/// and a few rules with alarms. Imported only into an empty model, so that a user's own model is never replaced.
/// </summary>
internal static class DemoPlant
{
    public static async Task<bool> EnsureAsync(ModelCatalog catalog, CancellationToken cancellationToken)
    {
        if (catalog.Current.AssetList.Count > 0 || catalog.Current.TypeList.Count > 0)
            return false;
        var document = JsonSerializer.Deserialize(Document, ModelJsonContext.Default.ModelDocument)
            ?? throw new InvalidOperationException("The demo model document is empty.");
        return await catalog.ImportAsync(document, Caller.System("demo"), cancellationToken);
    }

    private static string Tag(string name, string? unit = null, string? description = null) =>
        JsonSerializer.Serialize(new Dictionary<string, string?> { ["name"] = name, ["unit"] = unit, ["description"] = description }
            .Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value), DemoJsonContext.Default.DictionaryStringString);

    private static readonly string Motor = string.Join(",",
        Tag("temperature", "°C", "Motor/spindle temperature"), Tag("current", "A", "Motor current"),
        Tag("vibration", "mm/s", "Velocity RMS on the bearing"), Tag("power", "kW", "Electrical power drawn"),
        Tag("bearing_wear", "%", "Rated bearing life used"));

    // Last in each type, so that the trend's default selection (the first eight tags) shows the physics.
    private static readonly string Machine = string.Join(",",
        Tag("sim_time", "s", "Simulated seconds since start"), Tag("state", null, "0 stopped, 1 running, 2 idle, 3 fault"));

    // The edge runs a platform command "write" {tag, value} as a Modbus write of that device tag (docs/edge.md,
    // "Commands from the platform"), so each machine kind offers "write" over its writable registers and coils
    // (docs/simulator.md): raw register values, 1/0 for coils (run: 1 run, 0 stop; fault_reset: 1 clears a trip).
    private static string WriteCommand(params string[] writable) => $$"""
        { "name": "write", "timeout": "15s",
          "description": "Write a set-point (raw register value, see the register map) or a coil (1/0) of the machine through the edge",
          "arguments": [ { "name": "tag", "type": "string", "values": [{{string.Join(", ", writable.Select(t => '"' + t + '"'))}}] },
                         { "name": "value", "type": "number", "min": 0, "max": 65535 } ] }
        """;

    private static string Bindings(string device, params string[] tags) =>
        "{" + string.Join(",", tags.Select(t => $"\"{t}\": {{\"device\": \"{device}\"}}")) + "}";

    private static readonly string[] MotorTags = ["temperature", "current", "vibration", "power", "bearing_wear", "sim_time", "state"];

    private static string Document => $$"""
    {
      "version": 1,
      "assetTypes": [
        { "id": "cnc-machine", "name": "CNC machining centre", "tags": [{{Motor}},
            {{Tag("spindle_speed", "rpm")}}, {{Tag("spindle_load", "%")}}, {{Tag("tool_wear", "%")}},
            {{Tag("good_parts", "parts")}}, {{Tag("scrap_parts", "parts")}}, {{Machine}}],
          "commands": [{{WriteCommand("spindle_speed_setpoint", "run", "fault_reset", "tool_change")}}],
          "attributes": [ { "name": "vendor" }, { "name": "install_year", "type": "integer" } ] },
        { "id": "belt-conveyor", "name": "Belt conveyor", "tags": [{{Motor}}, {{Tag("belt_speed", "m/min")}}, {{Tag("load", "kg")}}, {{Machine}}],
          "commands": [{{WriteCommand("speed_setpoint", "run", "fault_reset")}}] },
        { "id": "centrifugal-pump", "name": "Centrifugal pump", "tags": [{{Motor}},
            {{Tag("flow", "m³/h")}}, {{Tag("pressure", "bar")}}, {{Tag("valve_position", "%")}}, {{Tag("speed", "%")}}, {{Machine}}, {{Tag("speed_setpoint", "%", "Drive speed set-point")}}],
          "commands": [{{WriteCommand("speed_setpoint", "valve_setpoint", "run", "fault_reset")}}] },
        { "id": "energy-meter", "name": "Energy meter", "tags": [
            {{Tag("voltage", "V")}}, {{Tag("current", "A")}}, {{Tag("active_power", "kW")}}, {{Tag("power_factor")}},
            {{Tag("frequency", "Hz")}}, {{Tag("energy", "Wh")}}, {{Tag("sim_time", "s")}}] }
      ],
      "assets": [
        { "id": "demo-works", "name": "Demo Works", "level": "enterprise" },
        { "id": "plant-1", "name": "Plant 1", "level": "site", "parent": "demo-works" },
        { "id": "machining", "name": "Machining", "level": "area", "parent": "plant-1" },
        { "id": "line-1", "name": "Line 1", "level": "line", "parent": "machining" },
        { "id": "cnc-1", "name": "CNC 1", "parent": "line-1", "type": "cnc-machine",
          "attributes": { "vendor": "simulated", "install_year": 2024 },
          "bindings": {{Bindings("cnc-1", [.. MotorTags, "spindle_speed", "spindle_load", "tool_wear", "good_parts", "scrap_parts"])}} },
        { "id": "conveyor-1", "name": "Conveyor 1", "parent": "line-1", "type": "belt-conveyor",
          "bindings": {{Bindings("conveyor-1", [.. MotorTags, "belt_speed", "load"])}} },
        { "id": "pump-1", "name": "Coolant pump 1", "parent": "line-1", "type": "centrifugal-pump",
          "bindings": {{Bindings("pump-1", [.. MotorTags, "flow", "pressure", "valve_position", "speed", "speed_setpoint"])}} },
        { "id": "meter-1", "name": "Line 1 energy meter", "parent": "line-1", "type": "energy-meter",
          "bindings": {{Bindings("meter-1", "voltage", "current", "active_power", "power_factor", "frequency", "energy", "sim_time")}} }
      ],
      "rules": [
        { "id": "motor-hot", "assetType": "centrifugal-pump", "name": "Pump motor hot", "scope": ["temperature"], "priority": 2,
          "condition": { "kind": "threshold", "tag": "temperature", "raiseAbove": 90, "clearBelow": 85 },
          "actions": [ { "kind": "alarm", "message": "Pump motor above 90 °C" } ] },
        { "id": "cnc-vibration", "assetType": "cnc-machine", "name": "CNC vibration in zone D", "scope": ["vibration"], "priority": 2,
          "condition": { "kind": "threshold", "tag": "vibration", "raiseAbove": 7.1, "clearBelow": 6.5 },
          "actions": [ { "kind": "alarm", "message": "Spindle vibration above 7.1 mm/s (ISO 10816-3 zone D)" } ] },
        { "id": "line-power-high", "asset": "meter-1", "name": "Line power high", "scope": ["active_power"], "priority": 3,
          "condition": { "kind": "threshold", "tag": "active_power", "raiseAbove": 60, "clearBelow": 55 },
          "actions": [ { "kind": "alarm", "message": "Line 1 draws more than 60 kW" } ] }
      ]
    }
    """;
}
