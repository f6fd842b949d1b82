using System.Buffers;
using System.Text.Json;
using Fabrica.Protocols.OpcUa;

namespace Fabrica.Edge.Adapters.OpcUa;

internal sealed partial class OpcUaDeviceAdapter
{
    /// <summary>
    /// Calls the method configured for <paramref name="name"/> (OPC 10000-4 §5.11.2). <paramref name="args"/> is a
    /// JSON array of the input arguments in order (or absent for none), each converted to the type the configuration
    /// declares; the result is the JSON array of the output arguments.
    /// </summary>
    public async ValueTask<JsonElement> ExecuteAsync(string name, JsonElement args, CancellationToken cancellationToken = default)
    {
        if (!_config.Settings.Methods.TryGetValue(name, out var method))
            throw new ArgumentException($"device {_deviceId} has no command \"{name}\"; its commands are {string.Join(", ", [WriteCommand, .. Commands])}.", nameof(name));
        var client = _client ?? throw new InvalidOperationException($"Not connected to {_deviceId}; command {name} was not sent.");
        var values = args.ValueKind switch
        {
            JsonValueKind.Array => args.EnumerateArray().ToArray(),
            JsonValueKind.Undefined or JsonValueKind.Null => [],
            _ => throw new ArgumentException($"command {name}: write the arguments as a JSON array in the method's order ({string.Join(", ", method.Inputs)}).", nameof(args)),
        };
        if (values.Length != method.Inputs.Count)
            throw new ArgumentException($"command {name} takes {method.Inputs.Count} arguments ({string.Join(", ", method.Inputs)}), not {values.Length}.", nameof(args));
        var inputs = new Variant[values.Length];
        for (var i = 0; i < values.Length; i++)
            inputs[i] = OpcUaValues.ToVariant(ToSample(values[i], name, i), method.Inputs[i], $"{name} argument {i}");

        var outputs = await client.CallAsync(method.ObjectId, method.MethodId, inputs, cancellationToken).ConfigureAwait(false);
        Log.MethodCalled(_logger, _deviceId, name, method.MethodId.ToString());
        return ToJson(outputs);
    }

    private static SampleValue ToSample(JsonElement value, string command, int index) => value.ValueKind switch
    {
        JsonValueKind.True => SampleValue.FromBool(true),
        JsonValueKind.False => SampleValue.FromBool(false),
        JsonValueKind.String => SampleValue.FromString(value.GetString()!),
        JsonValueKind.Number when value.TryGetInt64(out var integer) => SampleValue.FromLong(integer),
        JsonValueKind.Number => SampleValue.FromDouble(value.GetDouble()),
        _ => throw new ArgumentException($"command {command}: argument {index} is {value.ValueKind}; use a number, a string or true/false.", nameof(value)),
    };

    /// <summary>Output arguments as a JSON array: scalars as Fabrica samples (numbers, text, booleans), anything else as its description.</summary>
    private static JsonElement ToJson(IReadOnlyList<Variant> outputs)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var output in outputs)
            {
                if (!OpcUaValues.TryToSample(output, out var sample))
                    json.WriteStringValue(output.ToString());
                else if (sample.Kind == ValueKind.Bool)
                    json.WriteBooleanValue(sample.AsBool());
                else if (sample.Kind == ValueKind.Long)
                    json.WriteNumberValue(sample.AsLong());
                else if (sample.Kind == ValueKind.Double)
                    json.WriteNumberValue(sample.AsDouble());
                else
                    json.WriteStringValue(sample.AsString());
            }
            json.WriteEndArray();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
