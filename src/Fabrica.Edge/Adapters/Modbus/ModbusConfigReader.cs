using System.Globalization;
using System.Text.Json;
using Fabrica.Edge.Configuration;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Edge.Adapters.Modbus;

/// <summary>A device's Modbus configuration, checked: its connection settings and each tag's place and layout, by tag name.</summary>
internal sealed record ModbusDeviceConfig(ModbusDeviceSettings Settings, IReadOnlyDictionary<string, ModbusTag> Tags);

/// <summary>
/// Reads the adapter's part of a device (<c>settings</c>, and each tag's <c>address</c>, <c>dataType</c>,
/// <c>settings</c>) and reports every fault with its JSON path and what to write instead. As in the rest of the
/// file, an unknown property is an error, so that a misspelt setting is not silently ignored.
/// </summary>
internal static class ModbusConfigReader
{
    private static readonly string[] DeviceKeys =
        ["host", "port", "unitId", "requestTimeout", "connectTimeout", "maxOutstandingRequests", "maxGap", "maxRegistersPerRequest", "maxBitsPerRequest", "byteOrder"];

    private static readonly string[] TagKeys = ["byteOrder", "length"];

    private const string DataTypes = "bool, int16, uint16, int32, uint32, int64, float32, float64 or string";

    public static ModbusDeviceConfig? Read(DeviceOptions device, string path, List<EdgeConfigError> errors)
    {
        var before = errors.Count;
        var settings = ReadDevice(device.Settings, path + ".settings", errors);
        var tags = new Dictionary<string, ModbusTag>(StringComparer.Ordinal);
        for (var i = 0; i < device.Tags.Count; i++)
        {
            if (ReadTag(device.Tags[i], $"{path}.tags[{i}]", settings, errors) is { } tag)
                tags[device.Tags[i].Name] = tag;
        }
        return errors.Count == before ? new ModbusDeviceConfig(settings, tags) : null;
    }

    private static ModbusDeviceSettings ReadDevice(JsonElement json, string path, List<EdgeConfigError> errors)
    {
        var settings = new ModbusDeviceSettings();
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "set the device's connection as an object, e.g. { \"host\": \"10.0.0.7\", \"port\": 502, \"unitId\": 1 }."));
            return settings;
        }
        foreach (var property in json.EnumerateObject())
        {
            var at = path + "." + property.Name;
            var value = property.Value;
            settings = property.Name switch
            {
                "host" => settings with { Host = String(value, at, errors, "the device's host name or IP address, e.g. \"10.0.0.7\"") ?? "" },
                "port" => settings with { Port = Int(value, at, 1, 65535, settings.Port, errors, "a TCP port 1–65535 (Modbus: 502)") },
                "unitId" => settings with { UnitId = (byte)Int(value, at, 0, 255, settings.UnitId, errors, "a unit id 0–255 (1 for most devices; the slave address behind a gateway)") },
                "requestTimeout" => settings with { RequestTimeout = Duration(value, at, settings.RequestTimeout, errors) },
                "connectTimeout" => settings with { ConnectTimeout = Duration(value, at, settings.ConnectTimeout, errors) },
                "maxOutstandingRequests" => settings with { MaxOutstandingRequests = Int(value, at, 1, 64, settings.MaxOutstandingRequests, errors, "1–64 requests in flight (1 for devices that answer one at a time)") },
                "maxGap" => settings with { MaxGap = Int(value, at, 0, ModbusLimits.MaxReadBits, settings.MaxGap, errors, "0 or more unused addresses a read may span (0 = only adjacent tags)") },
                "maxRegistersPerRequest" => settings with { MaxRegistersPerRequest = Int(value, at, 1, ModbusLimits.MaxReadRegisters, settings.MaxRegistersPerRequest, errors, $"1–{ModbusLimits.MaxReadRegisters} registers") },
                "maxBitsPerRequest" => settings with { MaxBitsPerRequest = Int(value, at, 1, ModbusLimits.MaxReadBits, settings.MaxBitsPerRequest, errors, $"1–{ModbusLimits.MaxReadBits} bits") },
                "byteOrder" => settings with { ByteOrder = ByteOrder(value, at, settings.ByteOrder, errors) },
                _ => Unknown(settings, property.Name, at, DeviceKeys, errors),
            };
        }
        if (string.IsNullOrWhiteSpace(settings.Host) && !errors.Any(e => e.Path == path + ".host"))
            errors.Add(new(path + ".host", "set the device's host name or IP address, e.g. \"host\": \"10.0.0.7\"."));
        return settings;
    }

    private static ModbusTag? ReadTag(TagOptions tag, string path, ModbusDeviceSettings device, List<EdgeConfigError> errors)
    {
        if (tag is null || string.IsNullOrWhiteSpace(tag.Address))
            return null; // the runtime's own validation reports a missing address
        var before = errors.Count;
        if (!ModbusTagAddress.TryParse(tag.Address, out var address, out var addressError))
        {
            errors.Add(new(path + ".address", addressError));
            return null;
        }
        var bits = address.Table.IsBits();
        ModbusDataType type;
        if (tag.DataType is null)
            type = bits ? ModbusDataType.Bool : ModbusDataType.UInt16;
        else if (!TryParseDataType(tag.DataType, out type))
        {
            errors.Add(new(path + ".dataType", $"\"{tag.DataType}\" is not a Modbus data type; use {DataTypes}."));
            return null;
        }
        if (bits && type != ModbusDataType.Bool)
        {
            errors.Add(new(path + ".dataType", $"{(address.Table == ModbusTable.Coils ? "coils" : "discrete inputs")} hold single bits: use \"bool\" or leave dataType out."));
            return null;
        }

        var order = device.ByteOrder;
        var length = 0;
        if (tag.Settings.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in tag.Settings.EnumerateObject())
            {
                var at = path + ".settings." + property.Name;
                switch (property.Name)
                {
                    case "byteOrder":
                        order = ByteOrder(property.Value, at, order, errors);
                        break;
                    case "length":
                        length = Int(property.Value, at, 1, 2 * ModbusLimits.MaxReadRegisters, 0, errors, $"the string's length in characters, 1–{2 * ModbusLimits.MaxReadRegisters} (two per register)");
                        break;
                    default:
                        Unknown(0, property.Name, at, TagKeys, errors);
                        break;
                }
            }
        }
        else if (tag.Settings.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            errors.Add(new(path + ".settings", "write the tag's Modbus settings as an object, e.g. { \"byteOrder\": \"CDAB\" }."));

        if (type == ModbusDataType.String && length == 0 && errors.Count == before)
            errors.Add(new(path + ".settings.length", "a string tag needs its length in characters, e.g. \"settings\": { \"length\": 16 }."));
        else if (type != ModbusDataType.String && length != 0)
            errors.Add(new(path + ".settings.length", "only string tags have a length; remove it or set \"dataType\": \"string\"."));
        if (errors.Count > before)
            return null;

        var modbusTag = new ModbusTag(device.UnitId, address.Table, address.Address, type, order, type == ModbusDataType.String ? (length + 1) / 2 : 0);
        var max = bits ? device.MaxBitsPerRequest : device.MaxRegistersPerRequest;
        if (modbusTag.Address + modbusTag.Width > ModbusLimits.AddressSpace)
            errors.Add(new(path + ".address", $"a {Name(type)} at {address} would run past address 65535."));
        else if (modbusTag.Width > max)
            errors.Add(new(path + ".settings.length", $"the string takes {modbusTag.Width} registers, more than one read may carry ({max}); shorten it."));
        return errors.Count > before ? null : modbusTag;
    }

    public static bool TryParseDataType(string text, out ModbusDataType type)
    {
        ModbusDataType? parsed = text.Trim().ToLowerInvariant() switch
        {
            "bool" => ModbusDataType.Bool,
            "int16" => ModbusDataType.Int16,
            "uint16" => ModbusDataType.UInt16,
            "int32" => ModbusDataType.Int32,
            "uint32" => ModbusDataType.UInt32,
            "int64" => ModbusDataType.Int64,
            "float32" => ModbusDataType.Float32,
            "float64" => ModbusDataType.Float64,
            "string" => ModbusDataType.String,
            _ => null,
        };
        type = parsed.GetValueOrDefault();
        return parsed.HasValue;
    }

    public static string Name(ModbusDataType type) => type.ToString().ToLowerInvariant();

    private static T Unknown<T>(T unchanged, string name, string path, string[] known, List<EdgeConfigError> errors)
    {
        errors.Add(new(path, $"unknown Modbus setting \"{name}\"; the settings here are {string.Join(", ", known)}."));
        return unchanged;
    }

    private static string? String(JsonElement value, string path, List<EdgeConfigError> errors, string what)
    {
        if (value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
            return value.GetString();
        errors.Add(new(path, $"write {what}."));
        return null;
    }

    private static int Int(JsonElement value, string path, int min, int max, int fallback, List<EdgeConfigError> errors, string what)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max)
            return number;
        errors.Add(new(path, $"{JsonValueText.Describe(value)} is not allowed here; use {what}."));
        return fallback;
    }

    private static TimeSpan Duration(JsonElement value, string path, TimeSpan fallback, List<EdgeConfigError> errors)
    {
        if (value.ValueKind == JsonValueKind.String && DurationText.TryParse(value.GetString(), out var duration) && duration <= TimeSpan.FromMinutes(10))
            return duration;
        errors.Add(new(path, $"{JsonValueText.Describe(value)} is not a duration up to 10m; write a whole number and a unit in quotes, e.g. \"500ms\", \"2s\"."));
        return fallback;
    }

    private static ModbusByteOrder ByteOrder(JsonElement value, string path, ModbusByteOrder fallback, List<EdgeConfigError> errors)
    {
        if (value.ValueKind == JsonValueKind.String && Enum.TryParse<ModbusByteOrder>(value.GetString(), ignoreCase: true, out var order)
            && Enum.IsDefined(order) && !int.TryParse(value.GetString(), CultureInfo.InvariantCulture, out _))
            return order;
        errors.Add(new(path, $"{JsonValueText.Describe(value)} is not a byte order; use \"ABCD\" (big-endian, Modbus's own), \"CDAB\" (word swap), \"BADC\" (byte swap) or \"DCBA\" (little-endian)."));
        return fallback;
    }
}
