using System.Text.Json;
using Fabrica.Platform.Models;

namespace Fabrica.Platform.Commands;

/// <summary>Checks a command's arguments against the command's definition in the asset type.</summary>
public static class CommandArguments
{
    /// <summary>Every problem, each naming the argument (<c>args.rpm</c>); empty when the arguments fit.</summary>
    public static IReadOnlyList<ModelError> Validate(CommandDefinition command, JsonElement args)
    {
        var errors = new List<ModelError>();
        if (args.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            args = JsonDocument.Parse("{}").RootElement;
        if (args.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("args", $"are a JSON object of named arguments, not {args.ValueKind.ToString().ToLowerInvariant()}"));
            return errors;
        }
        foreach (var property in args.EnumerateObject())
        {
            if (command.ArgumentList.All(a => a.Name != property.Name))
                errors.Add(new($"args.{property.Name}", $"command '{command.Name}' takes no argument '{property.Name}'; it takes {Describe(command)}"));
        }
        foreach (var argument in command.ArgumentList)
        {
            var field = $"args.{argument.Name}";
            if (!args.TryGetProperty(argument.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (argument.Required)
                    errors.Add(new(field, $"is required by command '{command.Name}'"));
                continue;
            }
            switch (argument.Type)
            {
                case DataType.Number or DataType.Integer:
                    if (value.ValueKind != JsonValueKind.Number || (argument.Type == DataType.Integer && !value.TryGetInt64(out _)))
                    {
                        errors.Add(new(field, $"is {(argument.Type == DataType.Integer ? "an integer" : "a number")}, not {value.GetRawText()}"));
                        break;
                    }
                    var number = value.GetDouble();
                    if (argument.Min is { } min && number < min)
                        errors.Add(new(field, $"is {number}, below the minimum {min}{Unit(argument)}"));
                    if (argument.Max is { } max && number > max)
                        errors.Add(new(field, $"is {number}, above the maximum {max}{Unit(argument)}"));
                    break;
                case DataType.Boolean when value.ValueKind is not (JsonValueKind.True or JsonValueKind.False):
                    errors.Add(new(field, $"is true or false, not {value.GetRawText()}"));
                    break;
                case DataType.String when value.ValueKind != JsonValueKind.String:
                    errors.Add(new(field, $"is a string, not {value.GetRawText()}"));
                    break;
                case DataType.String when argument.Values is { Count: > 0 } allowed && !allowed.Contains(value.GetString()!):
                    errors.Add(new(field, $"is '{value.GetString()}'; use one of {string.Join(", ", allowed.Select(v => $"'{v}'"))}"));
                    break;
            }
        }
        return errors;
    }

    private static string Unit(ArgumentDefinition argument) => argument.Unit is null ? "" : " " + argument.Unit;

    private static string Describe(CommandDefinition command) =>
        command.ArgumentList.Count == 0 ? "none" : string.Join(", ", command.ArgumentList.Select(a => $"'{a.Name}'"));
}
