using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fabrica.Platform.Models;

/// <summary>
/// An asset as a W3C Web of Things Thing Description 1.1 (https://www.w3.org/TR/wot-thing-description11/):
/// properties are the asset's tags (read from its twin) and attributes, actions are its type's commands (invoked as
/// Fabrica commands, waiting for the result), the event <c>alarm</c> is its alarm changes (HTTP long poll, the
/// <c>longpoll</c> subprotocol of the WoT HTTP binding). Every form points at Fabrica's own REST API, relative to
/// <c>base</c>, and asks for the bearer token the API requires (§5.3.3.4 BearerSecurityScheme).
/// </summary>
public static class ThingDescription
{
    public const string MediaType = "application/td+json";

    /// <param name="baseUri">The API's origin as the client reached it, e.g. <c>http://fabrica:8080/</c>.</param>
    public static JsonObject Build(PlantModel model, string assetId, Uri baseUri)
    {
        var asset = model.Assets[assetId];
        var type = model.TypeOf(asset);
        var root = $"api/v1/assets/{Uri.EscapeDataString(asset.Id)}";
        var properties = new JsonObject();
        foreach (var tag in type?.TagList ?? [])
        {
            var property = Schema(tag.Type);
            property["title"] = tag.Name;
            if (tag.Unit is not null)
                property["unit"] = tag.Unit;
            if (tag.Description is not null)
                property["description"] = tag.Description;
            property["readOnly"] = true;
            property["observable"] = false;
            property["forms"] = new JsonArray(Form($"{root}/properties/{Uri.EscapeDataString(tag.Name)}", "readproperty", "GET"));
            properties[tag.Name] = property;
        }
        foreach (var (name, value) in asset.AttributeMap)
        {
            if (properties.ContainsKey(name))
                continue;
            var declared = type?.AttributeList.FirstOrDefault(a => a.Name == name);
            var property = Schema(declared?.Type ?? DataType.String);
            property["title"] = name;
            property["readOnly"] = true;
            property["const"] = JsonNode.Parse(value.GetRawText());
            property["forms"] = new JsonArray(Form($"{root}/properties/{Uri.EscapeDataString(name)}", "readproperty", "GET"));
            properties[name] = property;
        }
        var actions = new JsonObject();
        foreach (var command in type?.CommandList ?? [])
        {
            var input = new JsonObject { ["type"] = "object" };
            var args = new JsonObject();
            foreach (var argument in command.ArgumentList)
            {
                var schema = Schema(argument.Type);
                if (argument.Min is { } min)
                    schema["minimum"] = min;
                if (argument.Max is { } max)
                    schema["maximum"] = max;
                if (argument.Unit is not null)
                    schema["unit"] = argument.Unit;
                if (argument.Values is { Count: > 0 } values)
                    schema["enum"] = new JsonArray([.. values.Select(v => (JsonNode)v)]);
                args[argument.Name] = schema;
            }
            input["properties"] = args;
            input["required"] = new JsonArray([.. command.ArgumentList.Where(a => a.Required).Select(a => (JsonNode)a.Name)]);
            var wait = Math.Min(60, Math.Max(1, (int)command.TimeoutSpan.TotalSeconds));
            actions[command.Name] = new JsonObject
            {
                ["title"] = command.Name,
                ["description"] = command.Description ?? $"Sends '{command.Name}' to the asset's device and waits up to {wait} s for its result.",
                ["input"] = input,
                ["output"] = new JsonObject { ["type"] = "object", ["description"] = "The command: id, status (succeeded, failed, timedOut, …), result, error." },
                ["safe"] = false,
                ["idempotent"] = false,
                ["forms"] = new JsonArray(Form($"{root}/commands/{Uri.EscapeDataString(command.Name)}?wait={wait}s", "invokeaction", "POST")),
            };
        }
        return new JsonObject
        {
            ["@context"] = "https://www.w3.org/2022/wot/td/v1.1",
            ["id"] = $"urn:fabrica:asset:{asset.Id}",
            ["title"] = asset.Name ?? asset.Id,
            ["description"] = asset.Description ?? $"{asset.Level.ToString().ToLowerInvariant()} {model.PathOf(asset.Id)}" + (type is null ? "" : $" ({type.Name})"),
            ["base"] = baseUri.ToString(),
            ["securityDefinitions"] = new JsonObject { ["bearer_sc"] = new JsonObject { ["scheme"] = "bearer", ["in"] = "header", ["name"] = "Authorization" } },
            ["security"] = "bearer_sc",
            ["properties"] = properties,
            ["actions"] = actions,
            ["events"] = new JsonObject
            {
                ["alarm"] = new JsonObject
                {
                    ["title"] = "alarm",
                    ["description"] = "A change of one of the asset's alarms (raised, cleared, acknowledged, shelved, …): the alarm as it is now.",
                    ["data"] = new JsonObject { ["type"] = "object" },
                    ["forms"] = new JsonArray(new JsonObject
                    {
                        ["href"] = $"{root}/alarm-events", ["op"] = "subscribeevent", ["subprotocol"] = "longpoll",
                        // No htv:methodName: node-wot's long poll handshakes with HEAD, then waits with GET, on this one form.
                        ["contentType"] = "application/json",
                    }),
                },
            },
        };
    }

    /// <summary>The value of a tag (from the twin) or an attribute, as the JSON a WoT client reads; null when it has none yet.</summary>
    public static string? PropertyValue(PlantModel model, string assetId, string name, Func<string, SampleValue?> tagValue)
    {
        var asset = model.Assets[assetId];
        if (model.TypeOf(asset)?.FindTag(name) is not null)
        {
            return tagValue(name) is { } value ? value.Kind switch
            {
                ValueKind.Bool => value.AsBool() ? "true" : "false",
                ValueKind.Long => value.AsLong().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ValueKind.String => JsonSerializer.Serialize(value.AsString(), ModelJsonContext.Default.String),
                _ => double.IsFinite(value.AsDouble()) ? value.AsDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "null",
            } : null;
        }
        return asset.AttributeMap.TryGetValue(name, out var attribute) ? attribute.GetRawText() : null;
    }

    private static JsonObject Schema(DataType type) => new()
    {
        ["type"] = type switch { DataType.Integer => "integer", DataType.Boolean => "boolean", DataType.String => "string", _ => "number" },
    };

    private static JsonObject Form(string href, string op, string method)
    {
        var form = new JsonObject { ["href"] = href, ["op"] = op, ["contentType"] = "application/json", ["htv:methodName"] = method };
        return form;
    }
}
