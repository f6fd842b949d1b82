using System.Text.Json;
using System.Text.Json.Serialization;
using Fabrica.Platform.Twins;

namespace Fabrica.Platform.Alarms;

/// <summary>Source-generated JSON for alarms and their trigger values, as the REST API and MQTT pushes carry them.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Alarm))]
[JsonSerializable(typeof(AlarmState))]
[JsonSerializable(typeof(AlarmEvent))]
[JsonSerializable(typeof(IReadOnlyList<Alarm>))]
[JsonSerializable(typeof(IReadOnlyList<AlarmEvent>))]
[JsonSerializable(typeof(AlarmPoint))]
[JsonSerializable(typeof(IReadOnlyList<AlarmPoint>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, TagReading>))]
public sealed partial class AlarmJsonContext : JsonSerializerContext;
