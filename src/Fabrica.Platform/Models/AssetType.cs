using System.Text.Json.Serialization;

namespace Fabrica.Platform.Models;

/// <summary>
/// A template for assets of one kind (a CNC mill, a pump, a packaging line): the tags they measure or compute, with
/// units; the attributes they carry; and the commands they accept. Rules per type live beside it (<see cref="AssetRule"/>).
/// </summary>
/// <param name="Id">Letters, digits, '-', '_', '.'; at most 128 characters (as a device id).</param>
/// <param name="Kpis">Which tags feed OEE, energy per good part and MTBF/MTTR; none: the type has no KPIs of its own.</param>
public sealed record AssetType(
    string Id,
    string Name,
    IReadOnlyList<TagDefinition>? Tags = null,
    IReadOnlyList<AttributeDefinition>? Attributes = null,
    IReadOnlyList<CommandDefinition>? Commands = null,
    string? Description = null,
    KpiDefinition? Kpis = null)
{
    [JsonIgnore]
    public IReadOnlyList<TagDefinition> TagList => Tags ?? [];

    [JsonIgnore]
    public IReadOnlyList<AttributeDefinition> AttributeList => Attributes ?? [];

    [JsonIgnore]
    public IReadOnlyList<CommandDefinition> CommandList => Commands ?? [];

    public TagDefinition? FindTag(string name) => TagList.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    public CommandDefinition? FindCommand(string name) => CommandList.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));
}

/// <summary>
/// A tag of a type. Measured when <see cref="Expression"/> is null (an asset binds it to a device series); computed
/// otherwise, from the asset's other tags in the rule expression language (docs/rules.md), e.g.
/// <c>voltage * current * 1.732 * pf / 1000</c>.
/// </summary>
/// <param name="Unit">A unit symbol as UCUM or common usage writes it (<c>Cel</c>, <c>kW</c>, <c>1/min</c>); compared as text.</param>
public sealed record TagDefinition(string Name, string? Unit = null, DataType Type = DataType.Number, string? Expression = null, string? Description = null)
{
    [JsonIgnore]
    public bool IsComputed => Expression is not null;
}

/// <summary>Static metadata of an asset: vendor, serial number, install date, criticality.</summary>
public sealed record AttributeDefinition(string Name, DataType Type = DataType.String, bool Required = false, string? Unit = null, string? Description = null);

/// <summary>An operation a device of this type performs when told: <c>setSpeed(rpm)</c>, <c>stop()</c>.</summary>
/// <param name="Timeout">How long the device has to answer (<c>10s</c>, <c>2m</c>); default 30 s.</param>
/// <param name="Via">A measured tag whose bound device receives the command; default the asset's <c>device</c>.</param>
public sealed record CommandDefinition(string Name, IReadOnlyList<ArgumentDefinition>? Arguments = null, string? Timeout = null, string? Via = null, string? Description = null)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    [JsonIgnore]
    public IReadOnlyList<ArgumentDefinition> ArgumentList => Arguments ?? [];

    [JsonIgnore]
    public TimeSpan TimeoutSpan => Timeout is not null && DurationText.TryParse(Timeout, out var t) ? t : DefaultTimeout;
}

/// <param name="Min">Lowest accepted number (inclusive).</param>
/// <param name="Max">Highest accepted number (inclusive).</param>
/// <param name="Values">For strings: the accepted values, when they are an enumeration.</param>
public sealed record ArgumentDefinition(
    string Name,
    DataType Type = DataType.Number,
    bool Required = true,
    double? Min = null,
    double? Max = null,
    string? Unit = null,
    IReadOnlyList<string>? Values = null,
    string? Description = null);

/// <summary>What a tag, attribute or argument holds.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DataType>))]
public enum DataType
{
    [JsonStringEnumMemberName("number")] Number,
    [JsonStringEnumMemberName("integer")] Integer,
    [JsonStringEnumMemberName("boolean")] Boolean,
    [JsonStringEnumMemberName("string")] String,
}
