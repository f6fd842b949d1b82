using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabrica.Platform.Models;

/// <summary>
/// One node of the plant tree: an enterprise, site, area, line, cell or piece of equipment (ISA-95 / IEC 62264).
/// Its path is its parent's path and its <see cref="Key"/> (<c>acme/plant-1/assembly/line-2/cnc-3</c>); its
/// <see cref="Id"/> is unique in the model and stays when the asset moves, so that REST routes and alarms keep it.
/// </summary>
/// <param name="Id">Letters, digits, '-', '_', '.'; at most 128 characters.</param>
/// <param name="Key">The path segment (same characters); defaults to <see cref="Id"/>. Unique among siblings.</param>
/// <param name="Parent">The id of the parent asset; null for a root.</param>
/// <param name="Type">The asset type's id; required for tags, bindings and commands.</param>
/// <param name="Attributes">Static metadata; with a type, only the names it declares, of the kinds it declares.</param>
/// <param name="Bindings">Measured tags of the type → the device series that feeds them.</param>
/// <param name="Calendar">Shifts, breaks and planned downtime for the KPIs of this asset and its subtree (usually set on a site).</param>
/// <param name="Device">The device that receives the asset's commands; defaults to the device of its bindings when they name one.</param>
public sealed record Asset(
    string Id,
    string? Name = null,
    AssetLevel Level = AssetLevel.Equipment,
    string? Key = null,
    string? Parent = null,
    string? Type = null,
    IReadOnlyDictionary<string, JsonElement>? Attributes = null,
    IReadOnlyDictionary<string, TagBinding>? Bindings = null,
    string? Device = null,
    string? Description = null,
    ShiftCalendar? Calendar = null)
{
    [JsonIgnore]
    public string PathKey => Key ?? Id;

    [JsonIgnore]
    public IReadOnlyDictionary<string, TagBinding> BindingMap => Bindings ?? EmptyBindings;

    [JsonIgnore]
    public IReadOnlyDictionary<string, JsonElement> AttributeMap => Attributes ?? EmptyAttributes;

    /// <summary>Where commands go: <see cref="Device"/>, or the single device its bindings name.</summary>
    public string? CommandDevice()
    {
        if (Device is not null)
            return Device;
        var devices = BindingMap.Values.Select(b => b.Device).Distinct(StringComparer.Ordinal).Take(2).ToList();
        return devices.Count == 1 ? devices[0] : null;
    }

    private static readonly Dictionary<string, TagBinding> EmptyBindings = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, JsonElement> EmptyAttributes = new(StringComparer.Ordinal);
}

/// <summary>Where a measured tag's data comes from: one device series.</summary>
/// <param name="Tag">The device's tag; defaults to the asset tag's name.</param>
/// <param name="Unit">The unit the device reports in; when given it must equal the type's unit (Fabrica does not convert).</param>
public sealed record TagBinding(string Device, string? Tag = null, string? Unit = null);

/// <summary>ISA-95 (IEC 62264-1) levels of the role-based equipment hierarchy, top to bottom.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AssetLevel>))]
public enum AssetLevel
{
    [JsonStringEnumMemberName("enterprise")] Enterprise = 0,
    [JsonStringEnumMemberName("site")] Site = 1,
    [JsonStringEnumMemberName("area")] Area = 2,
    [JsonStringEnumMemberName("line")] Line = 3,
    [JsonStringEnumMemberName("cell")] Cell = 4,
    [JsonStringEnumMemberName("equipment")] Equipment = 5,
}
