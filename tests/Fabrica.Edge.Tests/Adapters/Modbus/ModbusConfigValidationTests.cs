using Fabrica.Edge.Adapters.Modbus;
using Fabrica.Edge.Configuration;

namespace Fabrica.Edge.Tests.Adapters.Modbus;

/// <summary>What an engineer writes wrong in a Modbus device, and the path and fix each fault is reported with.</summary>
public sealed class ModbusConfigValidationTests
{
    private static Dictionary<string, string> Errors(string settings, params TagOptions[] tags)
    {
        var device = new DeviceOptions { Id = "press-7", Adapter = "modbus", Settings = SimulatedPlant.Json(settings), Tags = tags };
        return new ModbusDeviceAdapterFactory().Validate(device, "$.devices[2]").ToDictionary(e => e.Path, e => e.Message);
    }

    [Fact]
    public void A_valid_device_with_every_setting_has_no_errors()
    {
        var errors = Errors("""
            {"host": "10.0.0.7", "port": 502, "unitId": 17, "requestTimeout": "500ms", "connectTimeout": "2s",
             "maxOutstandingRequests": 1, "maxGap": 4, "maxRegistersPerRequest": 64, "maxBitsPerRequest": 256, "byteOrder": "CDAB"}
            """,
            new TagOptions { Name = "t", Address = "hr:100", DataType = "int16" },
            new TagOptions { Name = "p", Address = "IR:10", DataType = "Float32", Settings = SimulatedPlant.Json("""{"byteOrder": "dcba"}""") },
            new TagOptions { Name = "run", Address = "coil:1" },
            new TagOptions { Name = "ok", Address = "di:0", DataType = "bool" },
            new TagOptions { Name = "recipe", Address = "hr:200", DataType = "string", Settings = SimulatedPlant.Json("""{"length": 16}""") });
        Assert.Empty(errors);
    }

    [Fact]
    public void Each_fault_is_named_by_its_json_path_with_what_to_write_instead()
    {
        var errors = Errors("""{"port": 70000, "unitId": -1, "wordOrder": "little", "requestTimeout": 5, "byteOrder": "ABDC"}""",
            new TagOptions { Name = "a", Address = "40101" },
            new TagOptions { Name = "b", Address = "coil:3", DataType = "float32" },
            new TagOptions { Name = "c", Address = "xr:3" },
            new TagOptions { Name = "d", Address = "hr:-1" },
            new TagOptions { Name = "e", Address = "hr:0", DataType = "float" },
            new TagOptions { Name = "f", Address = "hr:0", DataType = "string" },
            new TagOptions { Name = "g", Address = "hr:65535", DataType = "float32" },
            new TagOptions { Name = "h", Address = "hr:0", Settings = SimulatedPlant.Json("""{"order": "ABCD"}""") });

        Assert.Contains("host", errors["$.devices[2].settings.host"], StringComparison.Ordinal);
        Assert.Contains("1–65535", errors["$.devices[2].settings.port"], StringComparison.Ordinal);
        Assert.Contains("0–255", errors["$.devices[2].settings.unitId"], StringComparison.Ordinal);
        Assert.Contains("byteOrder", errors["$.devices[2].settings.wordOrder"], StringComparison.Ordinal);
        Assert.Contains("\"500ms\"", errors["$.devices[2].settings.requestTimeout"], StringComparison.Ordinal);
        Assert.Contains("CDAB", errors["$.devices[2].settings.byteOrder"], StringComparison.Ordinal);
        Assert.Contains("\"hr:100\"", errors["$.devices[2].tags[0].address"], StringComparison.Ordinal);
        Assert.Contains("\"bool\"", errors["$.devices[2].tags[1].dataType"], StringComparison.Ordinal);
        Assert.Contains("not a Modbus table", errors["$.devices[2].tags[2].address"], StringComparison.Ordinal);
        Assert.Contains("0–65535", errors["$.devices[2].tags[3].address"], StringComparison.Ordinal);
        Assert.Contains("float32", errors["$.devices[2].tags[4].dataType"], StringComparison.Ordinal);
        Assert.Contains("length", errors["$.devices[2].tags[5].settings.length"], StringComparison.Ordinal);
        Assert.Contains("65535", errors["$.devices[2].tags[6].address"], StringComparison.Ordinal);
        Assert.Contains("byteOrder", errors["$.devices[2].tags[7].settings.order"], StringComparison.Ordinal);
        Assert.Equal(14, errors.Count);
    }

    [Fact]
    public void Settings_that_are_not_an_object_are_reported_once()
    {
        var device = new DeviceOptions { Id = "x", Adapter = "modbus", Tags = [new TagOptions { Name = "t", Address = "hr:0" }] };
        var errors = new ModbusDeviceAdapterFactory().Validate(device, "$.devices[0]").ToList();
        Assert.Equal("$.devices[0].settings", Assert.Single(errors).Path);
    }
}
