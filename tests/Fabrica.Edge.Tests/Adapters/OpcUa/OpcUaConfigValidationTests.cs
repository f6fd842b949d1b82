using System.Text.Json;
using Fabrica.Edge.Adapters.OpcUa;
using Fabrica.Edge.Configuration;

namespace Fabrica.Edge.Tests.Adapters.OpcUa;

/// <summary>What an engineer writes wrong in an OPC UA device, and the path and fix each fault is reported with.</summary>
public sealed class OpcUaConfigValidationTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static Dictionary<string, string> Errors(string settings, params TagOptions[] tags)
    {
        var device = new DeviceOptions { Id = "cnc-3", Adapter = "opcua", Settings = Json(settings), Tags = tags };
        return new OpcUaDeviceAdapterFactory().Validate(device, "$.devices[1]").ToDictionary(e => e.Path, e => e.Message);
    }

    [Fact]
    public void A_valid_device_with_every_setting_has_no_errors()
    {
        var errors = Errors("""
            {"endpoint": "opc.tcp://10.0.0.9:4840/line2", "securityMode": "None",
             "identity": {"userName": "operator", "password": "secret-42"},
             "publishingInterval": "500ms", "queueSize": 1000, "timestamps": "server", "sessionTimeout": "2m", "keepAliveInterval": "10s",
             "methods": [{"command": "describe", "objectId": "ns=1;s=Methods", "methodId": "ns=1;s=Methods.Describe", "inputs": ["Int32", "String"]}]}
            """,
            new TagOptions { Name = "speed", Address = "ns=2;s=Spindle.Speed", PollPeriod = TimeSpan.FromMilliseconds(100) },
            new TagOptions { Name = "state", Address = "i=2259" },
            new TagOptions { Name = "counter", Address = "/1:Fabrica/1:Counter", DataType = "uint32" },
            new TagOptions { Name = "setpoint", Address = "ns=1;s=Setpoint", DataType = "Double", Settings = Json("""{"deadband": {"absolute": 0.5}, "queueSize": 10}""") },
            new TagOptions { Name = "level", Address = "ns=1;g=72962b91-fa75-4ae6-8d28-b404dc7daf63", Settings = Json("""{"deadband": {"percent": 2}}""") });
        Assert.Empty(errors);
        Assert.Empty(Errors("""{"endpoint": "opc.tcp://plc", "identity": "anonymous"}""", new TagOptions { Name = "x", Address = "i=2258" }));
    }

    [Fact]
    public void Each_fault_is_named_by_its_json_path_with_what_to_write_instead()
    {
        var errors = Errors("""
            {"securityMode": "SignAndEncrypt", "identity": {"user": "x"}, "queueSize": 0, "timestamps": "device",
             "publishingInterval": 100, "endpont": "opc.tcp://x",
             "methods": [{"command": "write", "objectId": "ns=1;s=M", "methodId": "ns=1;s=M.Go"}, {"command": "go", "objectId": "nope", "methodId": "ns=1;s=M.Go", "inputs": ["Structure"]}]}
            """,
            new TagOptions { Name = "a", Address = "Spindle.Speed" },
            new TagOptions { Name = "b", Address = "/1:Line2//1:Speed" },
            new TagOptions { Name = "c", Address = "ns=1;s=X", DataType = "float32" },
            new TagOptions { Name = "d", Address = "ns=1;s=X", Settings = Json("""{"deadband": {"percent": 200}}""") },
            new TagOptions { Name = "e", Address = "ns=1;s=X", Settings = Json("""{"sampling": "1s"}""") });

        Assert.Contains("opc.tcp://", errors["$.devices[1].settings.endpoint"], StringComparison.Ordinal);
        Assert.Contains("\"None\"", errors["$.devices[1].settings.securityMode"], StringComparison.Ordinal);
        Assert.Contains("userName and password", errors["$.devices[1].settings.identity.user"], StringComparison.Ordinal);
        Assert.Contains("1–100000", errors["$.devices[1].settings.queueSize"], StringComparison.Ordinal);
        Assert.Contains("\"source\"", errors["$.devices[1].settings.timestamps"], StringComparison.Ordinal);
        Assert.Contains("\"500ms\"", errors["$.devices[1].settings.publishingInterval"], StringComparison.Ordinal);
        Assert.Contains("endpoint, securityMode", errors["$.devices[1].settings.endpont"], StringComparison.Ordinal);
        Assert.Contains("reserved for tag writes", errors["$.devices[1].settings.methods[0].command"], StringComparison.Ordinal);
        Assert.Contains("not a NodeId", errors["$.devices[1].settings.methods[1].objectId"], StringComparison.Ordinal);
        Assert.Contains("Double", errors["$.devices[1].settings.methods[1].inputs"], StringComparison.Ordinal);
        Assert.Contains("\"/2:Line2/2:Speed\"", errors["$.devices[1].tags[0].address"], StringComparison.Ordinal);
        Assert.Contains("namespaceIndex:BrowseName", errors["$.devices[1].tags[1].address"], StringComparison.Ordinal);
        Assert.Contains("Float", errors["$.devices[1].tags[2].dataType"], StringComparison.Ordinal);
        Assert.Contains("EURange", errors["$.devices[1].tags[3].settings.deadband"], StringComparison.Ordinal);
        Assert.Contains("samplingInterval, deadband, queueSize", errors["$.devices[1].tags[4].settings.sampling"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_runtime_refuses_to_start_with_a_bad_opcua_device_and_names_the_path()
    {
        var options = new EdgeOptions
        {
            Id = "edge-1",
            Token = "fbg_x",
            Platform = new PlatformEndpoint { Host = "127.0.0.1" },
            Devices = [new DeviceOptions { Id = "cnc-3", Adapter = "opcua", Settings = Json("""{"endpoint": "http://plc"}"""), Tags = [new TagOptions { Name = "x", Address = "i=2258" }] }],
        };
        var runtime = new Fabrica.Edge.Runtime.EdgeRuntime(options, new() { Adapters = [new OpcUaDeviceAdapterFactory()] });

        var error = Assert.Throws<EdgeConfigException>(() => runtime.StartAsync().GetAwaiter().GetResult());
        Assert.Contains("$.devices[0].settings.endpoint", error.Message, StringComparison.Ordinal);
    }
}
