using Fabrica.Edge.Configuration;

namespace Fabrica.Edge.Tests.Configuration;

public sealed class EdgeConfigLoaderTests
{
    private const string Valid = """
        {
          // comments are allowed: people edit this file
          "id": "line1-edge",
          "token": "fbg_secret",
          "platform": { "host": "fabrica.local", "port": 8883, "tls": true },
          "uplink": { "maxSamplesPerMessage": 500, "drainRate": 20 },
          "buffer": { "directory": "buffer", "maxBytes": "64MiB", "segmentBytes": "1MiB", "commitInterval": "50ms" },
          "devices": [
            {
              "id": "press-7", "adapter": "modbus", "pollPeriod": "500ms",
              "settings": { "host": "10.0.0.7", "port": 502, "unitId": 1 },
              "tags": [
                { "name": "temperature", "address": "hr:100", "dataType": "int16", "scale": 0.1, "offset": -40,
                  "deadband": { "absolute": 0.5 }, "maxInterval": "60s", "unit": "°C" },
                { "name": "running", "address": "coil:1", "dataType": "bool", "pollPeriod": "100ms" },
              ]
            }
          ],
          "rules": []
        }
        """;

    [Fact]
    public void A_valid_file_is_read_with_units_durations_and_sizes()
    {
        var options = EdgeConfigLoader.Parse(Valid, "edge.json", "/etc/fabrica");
        Assert.Equal("line1-edge", options.Id);
        Assert.True(options.Platform.Tls);
        Assert.Equal(8883, options.Platform.Port);
        Assert.Equal(64L * 1024 * 1024, options.Buffer.MaxBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.Buffer.CommitInterval);
        Assert.Equal("/etc/fabrica/buffer", options.Buffer.Directory);
        var tag = options.Devices[0].Tags[0];
        Assert.Equal(0.1, tag.Scale);
        Assert.Equal(0.5, tag.Deadband!.Absolute);
        Assert.Equal("°C", tag.Unit);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.Devices[0].Tags[1].PollPeriod);
        Assert.Equal("10.0.0.7", options.Devices[0].Settings.GetProperty("host").GetString());
    }

    [Fact]
    public void Every_fault_is_reported_with_its_path_and_the_fix()
    {
        var json = Valid
            .Replace("\"line1-edge\"", "\"line 1\"", StringComparison.Ordinal)
            .Replace("\"port\": 8883", "\"port\": 70000", StringComparison.Ordinal)
            .Replace("\"name\": \"running\"", "\"name\": \"temperature\"", StringComparison.Ordinal)
            .Replace("\"absolute\": 0.5", "\"absolute\": 0.5, \"percent\": 2", StringComparison.Ordinal);
        var e = Assert.Throws<EdgeConfigException>(() => EdgeConfigLoader.Parse(json, "edge.json", "/"));
        var paths = e.Errors.Select(x => x.Path).ToList();
        Assert.Contains("$.id", paths);
        Assert.Contains("$.platform.port", paths);
        Assert.Contains("$.devices[0].tags[1].name", paths);
        Assert.Contains("$.devices[0].tags[0].deadband", paths);
        Assert.Contains("edge.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("1–65535", e.Errors.Single(x => x.Path == "$.platform.port").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_property_is_an_error_not_silently_ignored()
    {
        var e = Assert.Throws<EdgeConfigException>(() => EdgeConfigLoader.Parse(Valid.Replace("\"pollPeriod\": \"500ms\"", "\"pollPerod\": \"500ms\"", StringComparison.Ordinal), "edge.json", "/"));
        var error = Assert.Single(e.Errors);
        Assert.Contains("pollPerod", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("$.devices[0]", error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duration_without_a_unit_names_the_path_and_shows_the_syntax()
    {
        var e = Assert.Throws<EdgeConfigException>(() => EdgeConfigLoader.Parse(Valid.Replace("\"50ms\"", "50", StringComparison.Ordinal), "edge.json", "/"));
        var error = Assert.Single(e.Errors);
        Assert.Equal("$.buffer.commitInterval", error.Path);
        Assert.Contains("\"100ms\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_type_says_what_was_expected()
    {
        var e = Assert.Throws<EdgeConfigException>(() => EdgeConfigLoader.Parse(Valid.Replace("\"scale\": 0.1", "\"scale\": \"0.1\"", StringComparison.Ordinal), "edge.json", "/"));
        var error = Assert.Single(e.Errors);
        Assert.Equal("$.devices[0].tags[0].scale", error.Path);
        Assert.True(error.Message.Contains("a number", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void The_buffer_must_hold_several_segments()
    {
        var e = Assert.Throws<EdgeConfigException>(() => EdgeConfigLoader.Parse(Valid.Replace("\"64MiB\"", "\"2MiB\"", StringComparison.Ordinal), "edge.json", "/"));
        Assert.Equal("$.buffer.maxBytes", Assert.Single(e.Errors).Path);
    }
}
