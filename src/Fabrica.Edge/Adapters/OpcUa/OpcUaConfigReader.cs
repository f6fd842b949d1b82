using System.Text.Json;
using Fabrica.Edge.Configuration;
using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Services;

namespace Fabrica.Edge.Adapters.OpcUa;

/// <summary>
/// Reads the adapter's part of an <c>opcua</c> device (<c>settings</c>, and each tag's <c>address</c>, <c>dataType</c>,
/// <c>pollPeriod</c> as sampling interval and <c>settings</c>) and reports every fault with its JSON path and what to
/// write instead. An unknown property is an error, as everywhere in the file.
/// </summary>
internal static partial class OpcUaConfigReader
{
    private static readonly string[] DeviceKeys =
        ["endpoint", "securityMode", "identity", "publishingInterval", "queueSize", "timestamps", "sessionTimeout", "keepAliveInterval", "methods"];

    private static readonly string[] TagKeys = ["samplingInterval", "deadband", "queueSize"];

    public static OpcUaDeviceConfig? Read(DeviceOptions device, string path, List<EdgeConfigError> errors)
    {
        var before = errors.Count;
        var settings = ReadDevice(device.Settings, path + ".settings", errors);
        var tags = new Dictionary<string, OpcUaTag>(StringComparer.Ordinal);
        for (var i = 0; i < device.Tags.Count; i++)
        {
            if (ReadTag(device.Tags[i], $"{path}.tags[{i}]", device, errors) is { } tag)
                tags[device.Tags[i].Name] = tag;
        }
        return errors.Count == before ? new OpcUaDeviceConfig(settings, tags) : null;
    }

    private static OpcUaDeviceSettings ReadDevice(JsonElement json, string path, List<EdgeConfigError> errors)
    {
        var settings = new OpcUaDeviceSettings();
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "set the server's endpoint as an object, e.g. { \"endpoint\": \"opc.tcp://10.0.0.9:4840\", \"securityMode\": \"None\" }."));
            return settings;
        }
        foreach (var property in json.EnumerateObject())
        {
            var at = path + "." + property.Name;
            var value = property.Value;
            settings = property.Name switch
            {
                "endpoint" => settings with { Endpoint = Endpoint(value, at, errors) },
                "securityMode" => settings with { SecurityMode = SecurityMode(value, at, errors) },
                "identity" => Identity(settings, value, at, errors),
                "publishingInterval" => settings with { PublishingInterval = Duration(value, at, TimeSpan.FromHours(1), errors) },
                "queueSize" => settings with { QueueSize = (uint)Int(value, at, 1, 100_000, (int)settings.QueueSize, errors, "values queued per node at the server, 1–100000") },
                "timestamps" => settings with { Timestamps = Timestamps(value, at, errors) },
                "sessionTimeout" => settings with { SessionTimeout = Duration(value, at, TimeSpan.FromHours(1), errors) ?? settings.SessionTimeout },
                "keepAliveInterval" => settings with { KeepAliveInterval = Duration(value, at, TimeSpan.FromMinutes(10), errors) ?? settings.KeepAliveInterval },
                "methods" => settings with { Methods = Methods(value, at, errors) },
                _ => Unknown(settings, property.Name, at, DeviceKeys, errors),
            };
        }
        if (settings.Endpoint.Length == 0 && !errors.Any(e => e.Path == path + ".endpoint"))
            errors.Add(new(path + ".endpoint", "set the server's endpoint URL, e.g. \"endpoint\": \"opc.tcp://10.0.0.9:4840/path\"."));
        return settings;
    }

    private static OpcUaTag? ReadTag(TagOptions tag, string path, DeviceOptions device, List<EdgeConfigError> errors)
    {
        if (tag is null || string.IsNullOrWhiteSpace(tag.Address))
            return null; // the runtime's own validation reports a missing address
        var before = errors.Count;
        var address = Address(tag.Address.Trim(), path + ".address", errors);
        BuiltInType? type = null;
        if (tag.DataType is not null)
        {
            if (TryParseDataType(tag.DataType, out var parsed))
                type = parsed;
            else
                errors.Add(new(path + ".dataType", $"\"{tag.DataType}\" is not an OPC UA scalar type; use one of {string.Join(", ", WritableTypes)}, or leave dataType out to use the node's own."));
        }

        DataChangeFilter? filter = null;
        uint? queueSize = null;
        var sampling = tag.PollPeriod ?? device.PollPeriod;
        if (tag.Settings.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in tag.Settings.EnumerateObject())
            {
                var at = path + ".settings." + property.Name;
                switch (property.Name)
                {
                    case "samplingInterval":
                        sampling = SamplingInterval(property.Value, at, sampling, errors);
                        break;
                    case "deadband":
                        filter = Deadband(property.Value, at, errors);
                        break;
                    case "queueSize":
                        queueSize = (uint)Int(property.Value, at, 1, 100_000, 1, errors, "values queued for this node at the server, 1–100000");
                        break;
                    default:
                        Unknown(0, property.Name, at, TagKeys, errors);
                        break;
                }
            }
        }
        else if (tag.Settings.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            errors.Add(new(path + ".settings", "write the tag's OPC UA settings as an object, e.g. { \"deadband\": { \"absolute\": 0.5 } }."));

        return errors.Count > before || address is null
            ? null
            : new OpcUaTag(address, type, sampling, filter, queueSize);
    }

    /// <summary>A NodeId (<c>ns=2;s=Line2.Speed</c>, <c>i=2258</c>) or a browse path from Objects (<c>/2:Line2/2:Speed</c>).</summary>
    internal static OpcUaNodeAddress? Address(string text, string path, List<EdgeConfigError> errors)
    {
        if (text.StartsWith('/'))
        {
            var parts = text[1..].Split('/');
            var names = new List<QualifiedName>(parts.Length);
            foreach (var part in parts)
            {
                var colon = part.IndexOf(':', StringComparison.Ordinal);
                if (part.Length == 0 || colon == part.Length - 1
                    || (colon > 0 && !ushort.TryParse(part.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)))
                {
                    errors.Add(new(path, $"\"{text}\" is not a browse path; write each step as namespaceIndex:BrowseName from the Objects folder, e.g. \"/2:Line2/2:Speed\"."));
                    return null;
                }
                names.Add(colon < 0 ? new QualifiedName(0, part) : new QualifiedName(ushort.Parse(part.AsSpan(0, colon), System.Globalization.CultureInfo.InvariantCulture), part[(colon + 1)..]));
            }
            return new OpcUaNodeAddress(null, names);
        }
        if (NodeId.TryParse(text, out var nodeId) && !nodeId.IsNull)
            return new OpcUaNodeAddress(nodeId, null);
        errors.Add(new(path, $"\"{text}\" is neither a NodeId nor a browse path; write e.g. \"ns=2;s=Line2.Speed\", \"i=2258\" or \"/2:Line2/2:Speed\" (`fabrica opcua browse` prints them)."));
        return null;
    }

    /// <summary>Types a tag may declare: the scalar built-in types a Fabrica value converts to (OPC 10000-6 §5.1.2).</summary>
    internal static readonly BuiltInType[] WritableTypes =
    [
        BuiltInType.Boolean, BuiltInType.SByte, BuiltInType.Byte, BuiltInType.Int16, BuiltInType.UInt16, BuiltInType.Int32,
        BuiltInType.UInt32, BuiltInType.Int64, BuiltInType.UInt64, BuiltInType.Float, BuiltInType.Double, BuiltInType.String,
        BuiltInType.DateTime, BuiltInType.Guid, BuiltInType.ByteString, BuiltInType.XmlElement, BuiltInType.NodeId,
        BuiltInType.StatusCode, BuiltInType.QualifiedName, BuiltInType.LocalizedText,
    ];

    internal static bool TryParseDataType(string text, out BuiltInType type)
    {
        foreach (var candidate in WritableTypes)
        {
            if (string.Equals(candidate.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }
}
