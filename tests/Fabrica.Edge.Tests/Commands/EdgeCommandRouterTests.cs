using System.Text;
using System.Text.Json;
using Fabrica.Edge.Adapters;
using Fabrica.Edge.Commands;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Fabrica.Edge.Tests.Commands;

/// <summary>How the edge answers the platform's command messages (docs/edge.md, "Commands from the platform").</summary>
public sealed class EdgeCommandRouterTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_764_480_000_000));
    private readonly RecordingActions _actions = new();

    private EdgeCommandRouter Router(IDeviceAdapter? adapter = null) =>
        new(id => id == "cnc-3" ? adapter ?? new MethodDevice() : null, _actions, _time, NullLogger.Instance);

    private async Task<JsonElement> AnswerAsync(string message, IDeviceAdapter? adapter = null)
    {
        var reply = await Router(adapter).HandleAsync("cnc-3", "cm1", Encoding.UTF8.GetBytes(message), CancellationToken.None);
        return JsonDocument.Parse(reply).RootElement.Clone();
    }

    [Fact]
    public async Task A_write_command_writes_the_tag_through_the_same_path_as_an_edge_rule()
    {
        var reply = await AnswerAsync("""{"id": "cm1", "device": "cnc-3", "name": "write", "args": {"tag": "setpoint", "value": 42.5}, "expiresAt": 1764480060000}""");

        Assert.True(reply.GetProperty("ok").GetBoolean());
        Assert.Equal(("cnc-3", "setpoint", SampleValue.FromDouble(42.5)), Assert.Single(_actions.Writes));
    }

    [Fact]
    public async Task A_platform_rules_writeTag_command_is_the_same_write()
    {
        var reply = await AnswerAsync("""{"id": "cm2", "device": "cnc-3", "name": "writeTag", "args": {"tag": "setpoint", "value": 50}, "expiresAt": 1764480060000}""");

        Assert.True(reply.GetProperty("ok").GetBoolean());
        Assert.Equal(("cnc-3", "setpoint", SampleValue.FromLong(50)), Assert.Single(_actions.Writes));
    }

    [Fact]
    public async Task A_named_command_runs_on_the_adapter_and_its_result_is_the_answer()
    {
        var reply = await AnswerAsync("""{"id": "cm1", "device": "cnc-3", "name": "describe", "args": [3, "bolts"], "expiresAt": 1764480060000}""");

        Assert.True(reply.GetProperty("ok").GetBoolean());
        Assert.Equal("""["describe",[3,"bolts"]]""", reply.GetProperty("result").GetRawText());
    }

    [Theory]
    [InlineData("""{"name": "reset", "expiresAt": 1764480060000}""", "has no command \"reset\"; it takes write, describe")]
    [InlineData("""{"name": "write", "args": {"value": 1}, "expiresAt": 1764480060000}""", "write takes {\"tag\"")]
    [InlineData("""{"name": "write", "args": {"tag": "t", "value": 1}, "expiresAt": 1764479999999}""", "expired before it reached the edge")]
    [InlineData("""{"args": []}""", "has no name")]
    [InlineData("""not json""", "is an invalid JSON literal")]
    public async Task Commands_the_edge_cannot_run_are_answered_with_the_reason(string message, string reason)
    {
        var reply = await AnswerAsync(message);

        Assert.False(reply.GetProperty("ok").GetBoolean());
        Assert.Contains(reason, reply.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(_actions.Writes);
    }

    [Fact]
    public async Task A_refused_write_is_answered_with_the_devices_reason()
    {
        _actions.Refusal = new InvalidOperationException("cnc-3.setpoint: the server refused the write of 1 with BadNotWritable");

        var reply = await AnswerAsync("""{"name": "write", "args": {"tag": "setpoint", "value": 1}, "expiresAt": 1764480060000}""");

        Assert.False(reply.GetProperty("ok").GetBoolean());
        Assert.Contains("BadNotWritable", reply.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private sealed class RecordingActions : IEdgeActions
    {
        public List<(string Device, string Tag, SampleValue Value)> Writes { get; } = [];

        public Exception? Refusal { get; set; }

        public ValueTask WriteTagAsync(string deviceId, string tag, SampleValue value, CancellationToken cancellationToken = default)
        {
            if (Refusal is not null)
                throw Refusal;
            Writes.Add((deviceId, tag, value));
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A device with one named operation that echoes its name and arguments.</summary>
    private sealed class MethodDevice : ICommandDeviceAdapter
    {
        public DeviceState State => DeviceState.Connected;

        public string? LastError => null;

        public IReadOnlyCollection<string> Commands => ["describe"];

        public ValueTask<JsonElement> ExecuteAsync(string name, JsonElement args, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(JsonDocument.Parse($"[\"{name}\",{args.GetRawText()}]").RootElement.Clone());

        public ValueTask ConnectAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask ReadAsync(IReadOnlyList<TagOptions> tags, Memory<TagReading> readings, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask WriteAsync(TagOptions tag, SampleValue value, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
