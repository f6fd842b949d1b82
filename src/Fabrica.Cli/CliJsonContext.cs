using System.Text.Json;
using System.Text.Json.Serialization;
using Fabrica.Cli.Commands;

namespace Fabrica.Cli;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(ConfigFile))]
[JsonSerializable(typeof(DeviceRegistration))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(BackupRequestBody))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
