using System.Text.Json;
using Fabrica.Edge.Configuration;
using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Services;

namespace Fabrica.Edge.Adapters.OpcUa;

/// <summary>The single settings of an <c>opcua</c> device, each with the fix for a wrong value.</summary>
internal static partial class OpcUaConfigReader
{
    private static string Endpoint(JsonElement value, string path, List<EdgeConfigError> errors)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
        try
        {
            return OpcUaEndpoint.Parse(text).Url;
        }
        catch (OpcUaServiceException)
        {
            errors.Add(new(path, $"{JsonValueText.Describe(value)} is not an OPC UA endpoint; write \"opc.tcp://host:port/path\", e.g. \"opc.tcp://10.0.0.9:4840\"."));
            return "";
        }
    }

    private static string SecurityMode(JsonElement value, string path, List<EdgeConfigError> errors)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (string.Equals(text, "None", StringComparison.OrdinalIgnoreCase))
            return "None";
        errors.Add(text is "Sign" or "SignAndEncrypt"
            ? new(path, $"securityMode \"{text}\" is not supported by this build (SecurityPolicy None only); use \"None\" on a trusted network, or reach the server through a VPN.")
            : new(path, $"{JsonValueText.Describe(value)} is not a security mode; use \"None\" (the only mode of this build)."));
        return "None";
    }

    /// <summary><c>"anonymous"</c>, or <c>{ "userName": "…", "password": "…" }</c> (the password is encrypted as the server's token policy requires).</summary>
    private static OpcUaDeviceSettings Identity(OpcUaDeviceSettings settings, JsonElement value, string path, List<EdgeConfigError> errors)
    {
        if (value.ValueKind == JsonValueKind.String && string.Equals(value.GetString(), "anonymous", StringComparison.OrdinalIgnoreCase))
            return settings with { UserName = null, Password = null };
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "write \"anonymous\" or { \"userName\": \"operator\", \"password\": \"…\" }."));
            return settings;
        }
        string? user = null, password = null;
        foreach (var property in value.EnumerateObject())
        {
            var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            switch (property.Name)
            {
                case "userName" when !string.IsNullOrEmpty(text):
                    user = text;
                    break;
                case "password" when text is not null:
                    password = text;
                    break;
                case "userName" or "password":
                    errors.Add(new(path + "." + property.Name, $"write the {property.Name} as a string."));
                    break;
                default:
                    errors.Add(new(path + "." + property.Name, $"unknown identity setting \"{property.Name}\"; an identity has userName and password."));
                    break;
            }
        }
        if (user is null && !errors.Any(e => e.Path.StartsWith(path, StringComparison.Ordinal)))
            errors.Add(new(path + ".userName", "set the user name, or write \"identity\": \"anonymous\"."));
        return settings with { UserName = user, Password = password ?? "" };
    }

    /// <summary>
    /// The sampling interval in milliseconds, or a duration; 0 asks for every change (OPC 10000-4 §5.12.1.2: the
    /// server's fastest rate, exception-based where it can), which <c>pollPeriod</c> cannot say.
    /// </summary>
    private static TimeSpan SamplingInterval(JsonElement value, string path, TimeSpan fallback, List<EdgeConfigError> errors)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var ms) && ms is >= 0 and <= 3_600_000)
            return TimeSpan.FromMilliseconds(ms);
        if (value.ValueKind == JsonValueKind.String && DurationText.TryParse(value.GetString(), out var duration) && duration <= TimeSpan.FromHours(1))
            return duration;
        errors.Add(new(path, $"{JsonValueText.Describe(value)} is not a sampling interval; write milliseconds (0 = every change) or a duration such as \"250ms\"."));
        return fallback;
    }

    private static TimestampSource Timestamps(JsonElement value, string path, List<EdgeConfigError> errors)
    {
        switch (value.ValueKind == JsonValueKind.String ? value.GetString() : null)
        {
            case "source":
                return TimestampSource.Source;
            case "server":
                return TimestampSource.Server;
            default:
                errors.Add(new(path, $"{JsonValueText.Describe(value)} is not a timestamp choice; use \"source\" (the device's time of the value, the default) or \"server\" (the server's)."));
                return TimestampSource.Source;
        }
    }

    /// <summary>A server-side DataChangeFilter (OPC 10000-4 §7.22.2): absolute, or percent of the node's EURange.</summary>
    private static DataChangeFilter? Deadband(JsonElement value, string path, List<EdgeConfigError> errors)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            var properties = value.EnumerateObject().ToList();
            if (properties.Count == 1 && properties[0].Value.ValueKind == JsonValueKind.Number && properties[0].Value.GetDouble() is var amount && amount >= 0)
            {
                switch (properties[0].Name)
                {
                    case "absolute":
                        return new DataChangeFilter(DataChangeTrigger.StatusValue, DeadbandType.Absolute, amount);
                    case "percent" when amount <= 100:
                        return new DataChangeFilter(DataChangeTrigger.StatusValue, DeadbandType.Percent, amount);
                }
            }
        }
        errors.Add(new(path, "write the server-side deadband as { \"absolute\": 0.5 } (in the node's units) or { \"percent\": 2 } (of the node's EURange, 0–100)."));
        return null;
    }

    /// <summary><c>[{ "command": "describe", "objectId": "ns=1;s=Methods", "methodId": "ns=1;s=Methods.Describe", "inputs": ["Int32", "String"] }]</c></summary>
    private static IReadOnlyDictionary<string, OpcUaMethod> Methods(JsonElement value, string path, List<EdgeConfigError> errors)
    {
        var methods = new Dictionary<string, OpcUaMethod>(StringComparer.Ordinal);
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(path, "list the methods offered as commands, e.g. [{ \"command\": \"reset\", \"objectId\": \"ns=2;s=Machine\", \"methodId\": \"ns=2;s=Machine.Reset\", \"inputs\": [] }]."));
            return methods;
        }
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var at = $"{path}[{i++}]";
            string? command = null;
            NodeId objectId = default, methodId = default;
            var inputs = new List<BuiltInType>();
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(at, "a method is an object with command, objectId, methodId and inputs."));
                continue;
            }
            foreach (var property in item.EnumerateObject())
            {
                var p = at + "." + property.Name;
                var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() ?? "" : "";
                switch (property.Name)
                {
                    case "command" when text.Length is > 0 and <= 128 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'):
                        command = text;
                        break;
                    case "command":
                        errors.Add(new(p, "name the command with 1–128 of A–Z a–z 0–9 - _ ."));
                        break;
                    case "objectId" or "methodId" when NodeId.TryParse(text, out var id) && !id.IsNull:
                        (objectId, methodId) = property.Name == "objectId" ? (id, methodId) : (objectId, id);
                        break;
                    case "objectId" or "methodId":
                        errors.Add(new(p, $"{JsonValueText.Describe(property.Value)} is not a NodeId; write e.g. \"ns=2;s=Machine.Reset\"."));
                        break;
                    case "inputs" when property.Value.ValueKind == JsonValueKind.Array:
                        foreach (var input in property.Value.EnumerateArray())
                        {
                            if (input.ValueKind == JsonValueKind.String && TryParseDataType(input.GetString()!, out var type))
                                inputs.Add(type);
                            else
                                errors.Add(new(p, $"{JsonValueText.Describe(input)} is not an OPC UA scalar type; use one of {string.Join(", ", WritableTypes)}."));
                        }
                        break;
                    default:
                        errors.Add(new(p, $"unknown method setting \"{property.Name}\"; a method has command, objectId, methodId and inputs (types of its input arguments, in order)."));
                        break;
                }
            }
            if (command is null || objectId.IsNull || methodId.IsNull)
            {
                if (!errors.Any(e => e.Path.StartsWith(at, StringComparison.Ordinal)))
                    errors.Add(new(at, "a method needs command, objectId and methodId."));
                continue;
            }
            if (command == OpcUaDeviceAdapter.WriteCommand || !methods.TryAdd(command, new OpcUaMethod(command, objectId, methodId, inputs)))
                errors.Add(new(at + ".command", $"the command \"{command}\" is {(command == OpcUaDeviceAdapter.WriteCommand ? "reserved for tag writes" : "declared twice")}; choose another name."));
        }
        return methods;
    }

    private static T Unknown<T>(T unchanged, string name, string path, string[] known, List<EdgeConfigError> errors)
    {
        errors.Add(new(path, $"unknown OPC UA setting \"{name}\"; the settings here are {string.Join(", ", known)}."));
        return unchanged;
    }

    private static int Int(JsonElement value, string path, int min, int max, int fallback, List<EdgeConfigError> errors, string what)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max)
            return number;
        errors.Add(new(path, $"{JsonValueText.Describe(value)} is not allowed here; use {what}."));
        return fallback;
    }

    private static TimeSpan? Duration(JsonElement value, string path, TimeSpan max, List<EdgeConfigError> errors)
    {
        if (value.ValueKind == JsonValueKind.String && DurationText.TryParse(value.GetString(), out var duration) && duration <= max)
            return duration;
        errors.Add(new(path, $"{JsonValueText.Describe(value)} is not a duration up to {max.TotalSeconds:0} s; write a whole number and a unit in quotes, e.g. \"500ms\", \"2s\"."));
        return null;
    }
}
